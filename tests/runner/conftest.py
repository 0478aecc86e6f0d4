from __future__ import annotations

from collections.abc import AsyncIterator

import docker
import pytest

from runner import JudgeSpec, Kind, Runner, RunnerConfig, SandboxLimits, TestCase
from tests.conftest import require


@pytest.fixture(scope="session")
async def runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=4)) as shared:
        yield shared


def function_spec(
    entry: str, *cases: tuple[str, str] | tuple[str, str, bool], **extra
) -> JudgeSpec:
    tests = [
        TestCase(args=c[0], expected=c[1], hidden=c[2] if len(c) > 2 else False) for c in cases
    ]
    return JudgeSpec(kind=Kind.FUNCTION, entry_point=entry, tests=tests, **extra)


ADD = function_spec("add", ("1, 2", "3"), ("-1, 1", "0"), ("10, 5", "15", True))


def runtime_problem(runtime: str) -> str | None:
    if runtime == "runc":
        return None
    try:
        runtimes = docker.from_env(timeout=10).info().get("Runtimes") or {}
    except Exception as exc:
        return f"Docker engine not reachable ({exc})"
    if runtime not in runtimes:
        return f"the engine has no {runtime} runtime (scripts/setup.sh --test configures it)"
    return None


@pytest.fixture(params=["runc", "runsc"])
def runtime(request: pytest.FixtureRequest, sandbox: None) -> str:
    """Isolation tests run under both runtimes: runc, and gVisor's user-space kernel."""
    require(runtime_problem(request.param), f"the {request.param} runtime")
    return request.param


@pytest.fixture(scope="session")
async def gvisor_runner(sandbox: None) -> AsyncIterator[Runner]:
    require(runtime_problem("runsc"), "the runsc runtime")
    config = RunnerConfig(pool_size=2, max_concurrency=4, limits=SandboxLimits(runtime="runsc"))
    async with Runner(config) as shared:
        yield shared


@pytest.fixture(params=["runc", "runsc"])
def isolated(request: pytest.FixtureRequest, runner: Runner, gvisor_runner: Runner) -> Runner:
    """A runner under each runtime, for the isolation tests."""
    return runner if request.param == "runc" else gvisor_runner
