"""Shared fixtures. Under CI (CI=true) a missing engine or server fails; elsewhere it skips loudly."""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from runner import DEFAULT_IMAGE
from runner.engine import LABEL, OWNER_LABEL, owner_tag
from tests.servers import RedisServer, redis_binary

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(problem: str | None, what: str) -> None:
    """Skip (laptop) or fail (CI) when a needed engine or server is missing."""
    if problem is None:
        return
    message = f"{what} unavailable: {problem}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    warnings.warn(f"SKIPPING: {message}", stacklevel=2)
    pytest.skip(f"SKIPPED — {message}")


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
    """Sandbox containers made by this test process (other processes may share the engine)."""
    client = docker.from_env(timeout=10)
    mine = f"{OWNER_LABEL}={owner_tag()}"
    return [
        c.id
        for c in client.containers.list(all=True, sparse=True, filters={"label": [LABEL, mine]})
    ]


@pytest.fixture(scope="session")
def sandbox() -> Iterator[None]:
    """The engine and image are there; after the whole session no sandbox container is left."""
    require(sandbox_problem(), "Docker sandbox")
    yield
    assert labelled_containers() == [], "sandbox containers leaked"


def _redis() -> Iterator[RedisServer]:
    binary = redis_binary()
    require(None if binary else "no redis-server binary (apt-get install redis-server)", "Redis")
    assert binary is not None
    # Not under pytest's tmp_path: other pytest runs on the machine prune old basetemps.
    directory = Path(tempfile.mkdtemp(prefix="pydojo-redis-"))
    server = RedisServer(binary, directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A Redis server on loopback for the whole session (each test uses its own queue name)."""
    yield from _redis()


@pytest.fixture
def fresh_redis() -> Iterator[RedisServer]:
    """A Redis server of this test's own, which the test may stop and start."""
    yield from _redis()
