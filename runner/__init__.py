"""Sandboxed execution and judging of Python submissions. Knows nothing of Discord or storage."""

from .engine import SandboxUnavailable
from .limits import SandboxLimits
from .observed import OutputsUnavailable
from .service import DEFAULT_IMAGE, Runner, RunnerConfig, default_concurrency
from .spec import CompareOptions, JudgeSpec, Kind, TestCase
from .verdict import ErrorDetail, RunResult, RunStatus, Status, TestOutcome, Verdict

__all__ = [
    "DEFAULT_IMAGE",
    "CompareOptions",
    "ErrorDetail",
    "JudgeSpec",
    "Kind",
    "OutputsUnavailable",
    "RunResult",
    "RunStatus",
    "Runner",
    "RunnerConfig",
    "SandboxLimits",
    "SandboxUnavailable",
    "Status",
    "TestCase",
    "TestOutcome",
    "Verdict",
    "default_concurrency",
]
