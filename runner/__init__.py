"""Sandboxed execution and judging of Python submissions. Knows nothing of Discord or storage."""

from .limits import SandboxLimits
from .service import DEFAULT_IMAGE, Runner, RunnerConfig
from .spec import CompareOptions, JudgeSpec, Kind, TestCase
from .verdict import ErrorDetail, RunResult, RunStatus, Status, TestOutcome, Verdict

__all__ = [
    "DEFAULT_IMAGE",
    "CompareOptions",
    "ErrorDetail",
    "JudgeSpec",
    "Kind",
    "RunResult",
    "RunStatus",
    "Runner",
    "RunnerConfig",
    "SandboxLimits",
    "Status",
    "TestCase",
    "TestOutcome",
    "Verdict",
]
