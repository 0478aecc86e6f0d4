"""The shape of the course: module files and problem files (TOML), validated with pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from runner import CompareOptions, Kind
from runner.spec import parse_args, parse_literal

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# {{name}} or {{name.field}} (for parameters whose choices are tables of related values)
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?\s*\}\}")
STATEMENT_CHARS = 1500  # leaves room in a 4096-char embed for examples and the module path


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"{value!r} must be a lowercase slug like 'two-pointers'")
    return value


def _slug_keys(value: dict[str, Any]) -> dict[str, Any]:
    for key in value:
        _slug(key)
    return value


class Difficulty(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return list(Difficulty).index(self)

    def step(self, delta: int) -> Difficulty:
        levels = list(Difficulty)
        return levels[max(0, min(len(levels) - 1, self.rank + delta))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- module files ------------------------------------------------------------------------------


class ProblemType(Strict):
    title: str
    overview: str = Field(min_length=10, max_length=300)


class Subtopic(Strict):
    title: str
    overview: str = Field(min_length=10, max_length=400)
    types: dict[str, ProblemType] = Field(min_length=1)

    @field_validator("types")
    @classmethod
    def _type_slugs(cls, value: dict[str, ProblemType]) -> dict[str, ProblemType]:
        return _slug_keys(value)


class Module(Strict):
    """``problems/<module>/module.toml``: the module's place in the course and its overview."""

    id: str
    title: str
    order: int
    overview: str = Field(min_length=20, max_length=800)
    python_notes: str = Field(min_length=20, max_length=800)
    subtopics: dict[str, Subtopic] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_slug(cls, value: str) -> str:
        return _slug(value)

    @field_validator("subtopics")
    @classmethod
    def _subtopic_slugs(cls, value: dict[str, Subtopic]) -> dict[str, Subtopic]:
        return _slug_keys(value)


# -- problem files -----------------------------------------------------------------------------


class Case(Strict):
    """A test as written in a problem file: examples are shown, tests are hidden.

    ``expected`` may be left out only where it cannot be written by hand: tests whose input is
    produced by ``generate`` (a Python expression over ``rng``, ``n`` and the parameters, e.g.
    ``"([rng.randint(-9, 9) for _ in range(50_000)],)"``). Missing expected values are computed
    by running the reference solution in the sandbox.
    """

    args: str = ""
    calls: str = ""
    stdin: str = ""
    expected: str | None = None
    generate: str = ""
    note: str = ""  # why the case matters, for authors

    @model_validator(mode="after")
    def _expected_or_generated(self) -> Case:
        if self.expected is None and not self.generate:
            raise ValueError("a case needs `expected` (only generated cases may leave it out)")
        if self.generate and (self.args or self.calls or self.stdin):
            raise ValueError("a generated case takes its input from `generate` only")
        return self


class Parameter(Strict):
    """A template parameter: a variant picks one choice deterministically from its seed."""

    choices: list[Any] = Field(min_length=2)


class Problem(Strict):
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
    slow_solution: str = ""  # a correct but too slow answer that the big tests must time out
    explanation: str = Field(min_length=20, max_length=1000)
    hints: list[str] = Field(min_length=3, max_length=3)
    examples: list[Case] = Field(min_length=2)
    tests: list[Case] = Field(min_length=5)
    compare: CompareOptions = CompareOptions()
    time_limit: float | None = Field(None, gt=0, le=5, description="seconds per test")
    parameters: dict[str, Parameter] = Field(default_factory=dict)

    @field_validator("id", "module", "subtopic", "problem_type")
    @classmethod
    def _slugs(cls, value: str) -> str:
        return _slug(value)

    @field_validator("tags")
    @classmethod
    def _tag_slugs(cls, value: list[str]) -> list[str]:
        return [_slug(tag) for tag in value]

    @model_validator(mode="after")
    def _consistent(self) -> Problem:
        if self.kind is not Kind.STDIO and not self.entry_point.isidentifier():
            raise ValueError(f"{self.kind} problems need an `entry_point` identifier")
        for name, case in self.cases():
            if case.expected is None and not case.generate:
                raise ValueError(f"{name}: needs `expected`")
            if name.startswith("example") and case.generate:
                raise ValueError(f"{name}: examples are shown, so they cannot be generated")
        used = {m[0] for text in self._templated_texts() for m in PLACEHOLDER.findall(text)}
        unknown = used - set(self.parameters)
        if unknown:
            raise ValueError(f"placeholders without a parameter: {sorted(unknown)}")
        if self.parameters and not used:
            raise ValueError("parameters are declared but no {{placeholder}} uses them")
        if not self.parameters:
            self._check_literals()
        return self

    def cases(self) -> list[tuple[str, Case]]:
        named = [(f"examples[{i}]", c) for i, c in enumerate(self.examples)]
        return named + [(f"tests[{i}]", c) for i, c in enumerate(self.tests)]

    def _templated_texts(self) -> list[str]:
        texts = [self.statement, self.starter, self.solution, self.slow_solution, self.title,
                 self.explanation]
        texts += self.hints
        for _, case in self.cases():
            texts += [case.args, case.calls, case.stdin, case.expected or "", case.generate]
        return texts

    def _check_literals(self) -> None:
        for name, case in self.cases():
            try:
                if self.kind is Kind.FUNCTION and not case.generate:
                    parse_args(case.args)
                if self.kind is Kind.CLASS and not case.generate:
                    parse_literal(case.calls)
                if self.kind is not Kind.STDIO and case.expected is not None:
                    parse_literal(case.expected)
            except (ValueError, SyntaxError, TypeError) as exc:
                raise ValueError(f"{name}: not a Python literal: {exc}") from exc

    @property
    def is_template(self) -> bool:
        return bool(self.parameters)

    @property
    def fingerprint(self) -> frozenset[str]:
        """What a problem is about, for telling whether two problems feel alike."""
        return frozenset(
            [f"module:{self.module}", f"subtopic:{self.subtopic}", f"type:{self.problem_type}",
             f"difficulty:{self.difficulty.value}", *(f"tag:{t}" for t in self.tags)]
        )
