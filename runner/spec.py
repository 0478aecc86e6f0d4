"""What the runner judges: the tests of one problem, independent of where they came from."""

from __future__ import annotations

import ast
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator


class Kind(StrEnum):
    FUNCTION = "function"  # call a named function, compare its return value
    STDIO = "stdio"  # feed stdin to a program, compare its stdout
    CLASS = "class"  # construct a class, call methods in order, compare every result


def parse_literal(text: str) -> Any:
    """A Python literal from its source text (never evaluates code)."""
    return ast.literal_eval(text.strip())


def parse_args(text: str) -> tuple[Any, ...]:
    """Call arguments written as they appear between the parentheses: ``"[1, 2], 3"``."""
    if not text.strip():
        return ()
    return tuple(parse_literal(f"({text},)"))


class TestCase(BaseModel):
    """One test. Which fields apply depends on the problem's kind."""

    __test__ = False  # not a pytest class

    args: str = ""  # function kind: literal arguments, e.g. "[2, 7, 11, 15], 9"
    calls: str = ""  # class kind: literal list of [name, *args]; the first call builds the object
    stdin: str = ""  # stdio kind
    expected: str  # literal return value, literal list of call results, or expected stdout
    hidden: bool = False


class CompareOptions(BaseModel):
    float_tolerance: float | None = Field(None, ge=0, description="abs/rel tolerance for floats")
    unordered: bool = Field(False, description="a returned list may come in any order")


class JudgeSpec(BaseModel):
    """Everything needed to judge a submission; expected values stay on the host."""

    kind: Kind
    entry_point: str = ""  # function or class name; empty for stdio
    tests: list[TestCase] = Field(min_length=1)
    compare: CompareOptions = CompareOptions()
    test_seconds: float | None = Field(None, gt=0, description="per-test time limit override")

    @model_validator(mode="after")
    def _check_tests(self) -> JudgeSpec:
        if self.kind is not Kind.STDIO and not self.entry_point.isidentifier():
            raise ValueError(f"{self.kind} problems need an entry_point identifier")
        for number, test in enumerate(self.tests, 1):
            try:
                if self.kind is Kind.FUNCTION:
                    parse_args(test.args)
                    parse_literal(test.expected)
                elif self.kind is Kind.CLASS:
                    calls = parse_literal(test.calls)
                    expected = parse_literal(test.expected)
                    _check_calls(calls, expected, self.entry_point)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
                raise ValueError(f"test {number}: {exc}") from exc
        return self

    @field_validator("entry_point")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


def _check_calls(calls: Any, expected: Any, class_name: str) -> None:
    if not isinstance(calls, list | tuple) or not calls:
        raise ValueError("calls must be a non-empty list of [name, *args]")
    if not all(isinstance(c, list | tuple) and c and isinstance(c[0], str) for c in calls):
        raise ValueError("every call must be [name, *args]")
    if calls[0][0] != class_name:
        raise ValueError(f"the first call must construct {class_name}")
    if not isinstance(expected, list | tuple) or len(expected) != len(calls):
        raise ValueError("expected must list one result per call")
