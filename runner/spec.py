"""What the runner judges: the tests of one problem, independent of where they came from.

A test is written in one of four shapes, by the problem's kind:

- ``function``: ``args`` holds the call's arguments as Python literals, keywords included
  (``"[3, 1, 2], reverse=True"``); the call must return ``expected`` or raise ``raises``.
- ``class`` (the classic form): ``calls`` is a literal list of ``[name, *args]``, the first
  building the object, and ``expected`` one result per call.
- ``steps`` (function and class kinds): a short script. A string step is a statement whose
  result is not checked (``"a = Vector(1, 2)"``, ``"a.move(3)"``); a step with ``expr`` and
  ``expected`` or ``raises`` is an expression whose value (or exception) is checked — so
  methods on returned objects, attributes, several functions (``decode(encode(x))``) and
  objects built earlier can all be tested. ``take(iterable, n)``, ``is_generator(x)`` and
  ``is_iterator(x)`` are available to steps. ``equals`` instead of ``expected`` compares with
  another expression in the sandbox, by the solution's own ``==`` (``Fraction(1, 2) + x`` equals
  ``Rational(3, 4)``), for values that are no literal.
- ``stdio``: ``stdin`` goes in, ``expected`` is the whole stdout.

Function and class tests may also check what was printed (``prints``). Expected values never
leave the host.
"""

from __future__ import annotations

import ast
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

IDENTIFIER_PATH = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
TEMPLATED = "{{"  # a curriculum template's placeholder, not yet filled in


class Kind(StrEnum):
    FUNCTION = "function"  # call a named function, compare its return value
    STDIO = "stdio"  # feed stdin to a program, compare its stdout
    CLASS = "class"  # construct a class, call methods in order, compare every result


def parse_literal(text: str) -> Any:
    """A Python literal from its source text (never evaluates code)."""
    return ast.literal_eval(text.strip())


def parse_call(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Call arguments as written between the parentheses: ``"[1, 2], 3, key='x'"``."""
    if not text.strip():
        return (), {}
    node = ast.parse(f"f({text}\n)", mode="eval").body
    if not isinstance(node, ast.Call):
        raise ValueError("not a list of call arguments")
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        raise ValueError("*args unpacking is not supported in test arguments")
    if any(keyword.arg is None for keyword in node.keywords):
        raise ValueError("**kwargs unpacking is not supported in test arguments")
    args = tuple(ast.literal_eval(arg) for arg in node.args)
    return args, {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}


def parse_args(text: str) -> tuple[Any, ...]:
    """Positional call arguments only (keywords are an error here)."""
    args, kwargs = parse_call(text)
    if kwargs:
        raise ValueError("keyword arguments are not allowed here")
    return args


class Step(BaseModel):
    """One line of a steps test; a plain string is a statement whose result is not checked."""

    model_config = ConfigDict(extra="forbid")

    expr: str = Field(min_length=1)
    expected: str | None = None  # a Python literal
    expected_json: str | None = None  # the same, computed from a reference (tagged JSON)
    raises: str | None = None  # an exception class name; subclasses count
    match: str | None = None  # text the exception's message must contain
    message: str | None = None  # the exception's whole message, exactly
    exact_type: bool = False  # the exception must be ``raises`` itself, not a subclass
    equals: str | None = None  # an expression the value must be == to (objects of the solution)
    unordered: bool = False  # this step's list may come in any order (as ``[compare]``, per step)
    tolerance: float | None = Field(None, ge=0)  # numbers within this, abs or rel (per step)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"expr": value} if isinstance(value, str) else value

    @property
    def checked(self) -> bool:
        checks = (self.expected, self.expected_json, self.raises, self.equals)
        return any(v is not None for v in checks)

    @model_validator(mode="after")
    def _valid(self) -> Step:
        check_raises(self.raises, self.match, self.message, self.exact_type)
        if self.expected is None and self.expected_json is None:
            if self.unordered:
                raise ValueError("`unordered` needs `expected`")
            if self.tolerance is not None:
                raise ValueError("`tolerance` needs `expected`")
        if sum(v is not None for v in (self.expected, self.raises, self.equals)) > 1:
            raise ValueError("a step checks one of `expected`, `equals` or `raises`")
        if any(TEMPLATED in (text or "") for text in (self.expr, self.expected, self.equals)):
            return self  # a template's step: checked once its parameters are filled in
        try:
            compile(self.expr, "<step>", "eval" if self.checked else "exec")
        except SyntaxError as exc:
            what = "an expression" if self.checked else "a statement"
            raise ValueError(f"step {self.expr!r} is not {what}: {exc.msg}") from None
        if self.expected is not None:
            parse_literal(self.expected)
        if self.equals is not None:
            try:
                compile(self.equals, "<step>", "eval")
            except SyntaxError as exc:
                raise ValueError(
                    f"`equals` {self.equals!r} is not an expression: {exc.msg}"
                ) from None
        return self


class TestCase(BaseModel):
    """One test. Which fields apply depends on the problem's kind (see the module doc)."""

    __test__ = False  # not a pytest class

    args: str = ""
    calls: str = ""
    steps: list[Step] = Field(default_factory=list)
    stdin: str = ""
    expected: str | None = None  # literal return value, literal list of results, or stdout
    expected_json: str | None = None  # the expected value computed from a reference solution
    raises: str | None = None
    match: str | None = None
    message: str | None = None
    exact_type: bool = False
    prints: str | None = None  # what a function or class test must print
    data: str = ""  # the call's arguments already encoded (generated inputs)
    hidden: bool = False
    note: str = ""  # what the test is about; advice when a hidden test fails

    @model_validator(mode="after")
    def _one_expectation(self) -> TestCase:
        check_raises(self.raises, self.match, self.message, self.exact_type)
        if self.raises is not None and (self.expected is not None or self.expected_json):
            raise ValueError("a test either expects a value or `raises`, not both")
        return self


class CompareOptions(BaseModel):
    float_tolerance: float | None = Field(None, ge=0, description="abs/rel tolerance for numbers")
    unordered: bool = Field(False, description="a returned list may come in any order")
    strict_containers: bool = Field(
        True, description="a tuple is not a list (false: lists and tuples stand for each other)"
    )
    strict_numbers: bool = Field(
        False, description="an int is not a float (false: numbers compare by value, 2 == 2.0)"
    )
    inputs_unchanged: bool = Field(
        False, description="the function must not change the arguments it was given"
    )


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
                check_test(self.kind, self.entry_point, test)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
                raise ValueError(f"test {number}: {exc}") from exc
        return self

    @field_validator("entry_point")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


def check_test(kind: Kind, entry_point: str, test: TestCase) -> None:
    """Raise ValueError when a test cannot be judged as written."""
    if kind is Kind.STDIO:
        if test.expected is None:
            raise ValueError("stdio tests need `expected` output")
        if test.steps or test.calls or test.raises or test.args:
            raise ValueError("stdio tests take `stdin` and `expected` only")
        return
    if test.steps:
        if test.args or test.calls or test.data or test.expected or test.raises:
            raise ValueError("a steps test holds its checks in its steps")
        if not any(step.checked for step in test.steps) and test.prints is None:
            raise ValueError("a steps test needs at least one checked step (or `prints`)")
        return
    if kind is Kind.CLASS:
        if test.raises is not None:
            raise ValueError("expected exceptions in class problems go in `steps`")
        calls = parse_literal(test.calls)
        expected = parse_literal(test.expected) if test.expected is not None else None
        _check_calls(calls, expected, entry_point, test.expected_json is not None)
        return
    if not test.data:
        parse_call(test.args)
    if test.expected is not None:
        parse_literal(test.expected)
    elif test.expected_json is None and test.raises is None and test.prints is None:
        raise ValueError("a test needs `expected`, `raises` or `prints`")


def _check_calls(calls: Any, expected: Any, class_name: str, computed: bool) -> None:
    if not isinstance(calls, list | tuple) or not calls:
        raise ValueError("calls must be a non-empty list of [name, *args]")
    if not all(isinstance(c, list | tuple) and c and isinstance(c[0], str) for c in calls):
        raise ValueError("every call must be [name, *args]")
    if calls[0][0] != class_name:
        raise ValueError(f"the first call must construct {class_name}")
    if not all(c[0].isidentifier() for c in calls):
        raise ValueError("call names must be identifiers")
    if computed:
        return
    if not isinstance(expected, list | tuple) or len(expected) != len(calls):
        raise ValueError("expected must list one result per call")


MESSAGE_LIMIT = 200  # the sandbox reports no more of a message (after a few errors)


def check_raises(name: str | None, match: str | None, message: str | None, exact: bool) -> None:
    """What may qualify an expected exception: its message (``match`` text in it, or exactly
    ``message``) and whether a subclass will do."""
    if name is not None and not name.isidentifier():
        raise ValueError(f"`raises` must be an exception class name, not {name!r}")
    for field, given in (("match", match is not None), ("message", message is not None)):
        if given and name is None:
            raise ValueError(f"`{field}` needs `raises`")
    if exact and name is None:
        raise ValueError("`exact_type` needs `raises`")
    if match is not None and message is not None:
        raise ValueError("an exception's message is checked by `match` or `message`, not both")
    if message is not None and len(message) > MESSAGE_LIMIT:
        raise ValueError(f"`message` is longer than {MESSAGE_LIMIT} characters")
