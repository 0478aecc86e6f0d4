"""What the runner reports back: the outcome of a free-form run, or a judged verdict."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


def clean(text: str) -> str:
    """Text that any encoder accepts: lone surrogates and NUL bytes become visible escapes."""
    if text.isascii() and "\x00" not in text:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


# Every string that may hold something a sandbox produced: serialising a verdict never fails.
Text = Annotated[str, AfterValidator(clean)]


class _Model(BaseModel):
    model_config = ConfigDict(validate_assignment=True)


class RunStatus(StrEnum):
    OK = "ok"
    ERROR = "error"  # non-zero exit or an uncaught exception
    TIMEOUT = "timeout"
    MEMORY = "memory"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_ERROR = "sandbox_error"


class RunResult(_Model):
    """A program executed like an eval command."""

    status: RunStatus
    exit_code: int | None
    stdout: Text
    stderr: Text
    truncated: bool
    duration_ms: int
    message: Text = ""  # explanation for anything but ok
    python_version: str | None = None
    runtime: str | None = None


class Status(StrEnum):
    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    SYNTAX_ERROR = "syntax_error"
    SANDBOX_ERROR = "sandbox_error"

    @property
    def blames_user(self) -> bool:
        """False only when the infrastructure failed; such attempts must not be recorded."""
        return self is not Status.SANDBOX_ERROR


class TestOutcome(_Model):
    """One test's result. Hidden tests never carry their input, expected value or output."""

    __test__ = False

    number: int  # 1-based, in the problem's order
    hidden: bool
    status: Status  # accepted, or what went wrong with this test
    duration_ms: float | None = None
    input: Text | None = None  # visible tests only: the call, steps or stdin shown to the user
    expected: Text | None = None  # visible tests only
    got: Text | None = None  # visible tests only
    stdout: Text = ""  # what the user's code printed during this test (trimmed)
    message: Text | None = None  # why it failed, beyond the values ("expected a list, got a tuple")
    note: Text | None = None  # what the test is about (its author's note), for advice


class ErrorDetail(_Model):
    type: Text  # e.g. "IndexError"
    message: Text
    traceback: Text  # trimmed to the user's own frames
    line: int | None = None  # the user's line where it happened


class Verdict(_Model):
    status: Status
    summary: Text  # one human sentence, e.g. "Wrong answer on test 3."
    passed: int
    total: int
    tests: list[TestOutcome]
    failed: TestOutcome | None = None  # the first failing test, if any
    error: ErrorDetail | None = None  # runtime, syntax or sandbox error details
    duration_ms: int
    python_version: str | None = None
    runtime: str | None = None  # the container runtime that judged it: runc or runsc
    peak_memory_kib: int | None = None  # the sandbox's peak memory, when the engine tells

    @property
    def accepted(self) -> bool:
        return self.status is Status.ACCEPTED

    @property
    def visible_total(self) -> int:
        return sum(not t.hidden for t in self.tests)

    @property
    def visible_passed(self) -> int:
        return sum(not t.hidden and t.status is Status.ACCEPTED for t in self.tests)

    @property
    def hidden_failed(self) -> bool:
        """A hidden test failed. Which one, and how many hidden tests passed, is not told:
        that would let repeated submissions learn the hidden answers."""
        return self.failed is not None and self.failed.hidden
