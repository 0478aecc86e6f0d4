from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from runner import JudgeSpec, Kind, Runner, RunnerConfig, TestCase


@pytest.fixture(scope="session")
async def runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=4)) as shared:
        yield shared


def function_spec(entry: str, *cases: tuple[str, str] | tuple[str, str, bool], **extra) -> JudgeSpec:
    tests = [TestCase(args=c[0], expected=c[1], hidden=c[2] if len(c) > 2 else False)
             for c in cases]
    return JudgeSpec(kind=Kind.FUNCTION, entry_point=entry, tests=tests, **extra)


ADD = function_spec("add", ("1, 2", "3"), ("-1, 1", "0"), ("10, 5", "15", True))
