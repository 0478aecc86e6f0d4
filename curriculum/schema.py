"""The shape of the course: module files and problem files (TOML), validated with pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from runner import CompareOptions, Kind
from runner.spec import Step, TestCase, check_raises, check_test

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

    The fields by kind are described in ``runner.spec`` and ``AUTHORING.md``. ``expected`` may
    be left out where it cannot be written by hand: tests whose input is produced by
    ``generate`` (a Python expression over ``rng`` and the parameters, e.g.
    ``"([rng.randint(-9, 9) for _ in range(50_000)],)"``); their expected values are computed
    by running the reference solution in the sandbox.
    """

    args: str = ""
    calls: str = ""
    steps: list[Step] = Field(default_factory=list)
    stdin: str = ""
    expected: str | None = None
    raises: str | None = None  # the call must raise this exception (a class name)
    match: str | None = None  # ... with this text in its message
    message: str | None = None  # ... or with exactly this message
    exact_type: bool = False  # ... and not a subclass of it
    prints: str | None = None  # what the call must print (function and class problems)
    generate: str = ""
    note: str = ""  # what the case is about: shown as advice when a hidden test fails

    @model_validator(mode="after")
    def _expected_or_generated(self) -> Case:
        checks = (self.expected, self.raises, self.prints)
        if all(c is None for c in checks) and not self.generate and not self.steps:
            raise ValueError(
                "a case needs `expected`, `raises`, `prints` or `steps` "
                "(only generated cases may leave them out)"
            )
        if self.generate and (self.args or self.calls or self.stdin or self.steps):
            raise ValueError("a generated case takes its input from `generate` only")
        check_raises(self.raises, self.match, self.message, self.exact_type)
        if self.raises is not None and self.expected is not None:
            raise ValueError("a case expects either a value or `raises`, not both")
        return self


class WrongSolution(Strict):
    """A plausible mistake; the check proves the tests reject it."""

    note: str = Field(min_length=5, max_length=300, description="the mistake, in one line")
    code: str = Field(min_length=5)


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
    wrong_solutions: list[WrongSolution] = Field(default_factory=list)
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
        texts = [
            self.statement,
            self.starter,
            self.solution,
            self.slow_solution,
            self.title,
            self.explanation,
        ]
        texts += self.hints
        texts += [wrong.code for wrong in self.wrong_solutions]
        for _, case in self.cases():
            texts += [
                case.args,
                case.calls,
                case.stdin,
                case.expected or "",
                case.generate,
                case.prints or "",
                case.match or "",
                case.message or "",
            ]
            texts += [
                part
                for step in case.steps
                for part in (step.expr, step.expected or "", step.match or "", step.message or "")
            ]
        return texts

    def _check_literals(self) -> None:
        """Every written case can be judged as it stands (templates: once filled)."""
        for name, case in self.cases():
            if case.generate:
                continue
            test = TestCase(
                args=case.args,
                calls=case.calls,
                steps=case.steps,
                stdin=case.stdin,
                expected=case.expected,
                raises=case.raises,
                match=case.match,
                message=case.message,
                exact_type=case.exact_type,
                prints=case.prints,
            )
            try:
                check_test(self.kind, self.entry_point, test)
            except (ValueError, SyntaxError, TypeError) as exc:
                raise ValueError(f"{name}: {exc}") from exc

    @property
    def is_template(self) -> bool:
        return bool(self.parameters)

    @property
    def fingerprint(self) -> frozenset[str]:
        """What a problem is about, for telling whether two problems feel alike."""
        return frozenset(
            [
                f"module:{self.module}",
                f"subtopic:{self.subtopic}",
                f"type:{self.problem_type}",
                f"difficulty:{self.difficulty.value}",
                *(f"tag:{t}" for t in self.tags),
            ]
        )
