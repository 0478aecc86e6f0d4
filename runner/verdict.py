"""What the runner reports back: the outcome of a free-form run, or a judged verdict."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class RunStatus(StrEnum):
    OK = "ok"
    ERROR = "error"  # non-zero exit or an uncaught exception
    TIMEOUT = "timeout"
    MEMORY = "memory"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_ERROR = "sandbox_error"


class RunResult(BaseModel):
    """A program executed like an eval command."""

    status: RunStatus
    exit_code: int | None
    stdout: str
    stderr: str
    truncated: bool
    duration_ms: int
    message: str = ""  # explanation for anything but ok


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


class TestOutcome(BaseModel):
    """One test's result. Hidden tests never carry their input or expected value."""

    __test__ = False

    number: int  # 1-based
    hidden: bool
    status: Status  # accepted, or what went wrong with this test
    duration_ms: float | None = None
    input: str | None = None  # visible tests only: the call, calls or stdin shown to the user
    expected: str | None = None  # visible tests only
    got: str | None = None  # visible tests only
    stdout: str = ""  # what the user's code printed during this test (trimmed)


class ErrorDetail(BaseModel):
    type: str  # e.g. "IndexError"
    message: str
    traceback: str  # trimmed to the user's own frames
    line: int | None = None  # the user's line where it happened


class Verdict(BaseModel):
    status: Status
    summary: str  # one human sentence, e.g. "Wrong answer on test 3 (7/10 passed)."
    passed: int
    total: int
    tests: list[TestOutcome]
    failed: TestOutcome | None = None  # the first failing test, if any
    error: ErrorDetail | None = None  # runtime, syntax or sandbox error details
    duration_ms: int
    python_version: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status is Status.ACCEPTED
