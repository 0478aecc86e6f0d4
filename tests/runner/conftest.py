from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import docker
import pytest

from runner import DEFAULT_IMAGE, JudgeSpec, Kind, Runner, RunnerConfig, TestCase
from runner.engine import LABEL
from tests.conftest import require


def sandbox_problem() -> str | None:
    try:
        client = docker.from_env(timeout=10)
        client.ping()
        client.images.get(DEFAULT_IMAGE)
    except docker.errors.ImageNotFound:
        return f"image {DEFAULT_IMAGE} missing (run `pydojo sandbox build`)"
    except Exception as exc:
        return f"Docker engine not reachable ({type(exc).__name__}: {exc})"
    return None


def labelled_containers() -> list[str]:
    client = docker.from_env(timeout=10)
    return [c.id for c in client.containers.list(all=True, filters={"label": LABEL})]


@pytest.fixture(scope="session")
def sandbox() -> Iterator[None]:
    """The engine and image are there; after the whole session no sandbox container is left."""
    require(sandbox_problem(), "Docker sandbox")
    yield
    assert labelled_containers() == [], "sandbox containers leaked"


@pytest.fixture(scope="session")
async def runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=4)) as shared:
        yield shared


def function_spec(entry: str, *cases: tuple[str, str] | tuple[str, str, bool], **extra) -> JudgeSpec:
    tests = [TestCase(args=c[0], expected=c[1], hidden=c[2] if len(c) > 2 else False)
             for c in cases]
    return JudgeSpec(kind=Kind.FUNCTION, entry_point=entry, tests=tests, **extra)


ADD = function_spec("add", ("1, 2", "3"), ("-1, 1", "0"), ("10, 5", "15", True))
