"""The shape of one problem file (TOML), validated with pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from runner import CompareOptions, JudgeSpec, Kind, TestCase

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATEMENT_CHARS = 1500  # leaves room in a 4096-char embed for examples and the module path


class Difficulty(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return list(Difficulty).index(self)


class Example(BaseModel):
    """A test case as written in a problem file (examples are shown, tests are hidden)."""

    model_config = ConfigDict(extra="forbid")

    args: str = ""
    calls: str = ""
    stdin: str = ""
    expected: str
    note: str = ""  # why this case matters, for authors


class Parameter(BaseModel):
    """A template parameter: variants pick one of ``choices`` deterministically from a seed."""

    model_config = ConfigDict(extra="forbid")

    choices: list[Any] = Field(min_length=2)


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = Field(min_length=3, max_length=100)
    module: str
    subtopic: str
    problem_type: str
    difficulty: Difficulty
    tags: list[str] = Field(default_factory=list)
    kind: Kind
    entry_point: str = ""
    statement: str = Field(min_length=20, max_length=STATEMENT_CHARS)
    starter: str
    solution: str
    explanation: str = Field(min_length=20, max_length=1000)
    hints: list[str] = Field(min_length=3, max_length=3)
    examples: list[Example] = Field(min_length=2)
    tests: list[Example] = Field(min_length=5)
    compare: CompareOptions = CompareOptions()
    time_limit: float | None = Field(None, gt=0, le=5, description="seconds per test")
    parameters: dict[str, Parameter] = Field(default_factory=dict)

    @field_validator("id", "module", "subtopic", "problem_type")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"{value!r} must be a lowercase slug like 'two-pointers'")
        return value

    @model_validator(mode="after")
    def _spec_is_valid(self) -> Problem:
        self.judge_spec()  # raises with the failing test named
        return self

    def judge_spec(self) -> JudgeSpec:
        """Examples (visible) then tests (hidden), as the runner takes them."""
        cases = [self._case(e, hidden=False) for e in self.examples]
        cases += [self._case(t, hidden=True) for t in self.tests]
        return JudgeSpec(
            kind=self.kind,
            entry_point=self.entry_point,
            tests=cases,
            compare=self.compare,
            test_seconds=self.time_limit,
        )

    @staticmethod
    def _case(example: Example, hidden: bool) -> TestCase:
        return TestCase(
            args=example.args,
            calls=example.calls,
            stdin=example.stdin,
            expected=example.expected,
            hidden=hidden,
        )
