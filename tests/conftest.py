"""Shared fixtures. Under CI (CI=true) a missing engine or server fails; elsewhere it skips loudly."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator

import docker
import pytest

from runner import DEFAULT_IMAGE
from runner.engine import LABEL, OWNER_LABEL, owner_tag

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
    return [c.id for c in client.containers.list(all=True, sparse=True,
                                                 filters={"label": [LABEL, mine]})]


@pytest.fixture(scope="session")
def sandbox() -> Iterator[None]:
    """The engine and image are there; after the whole session no sandbox container is left."""
    require(sandbox_problem(), "Docker sandbox")
    yield
    assert labelled_containers() == [], "sandbox containers leaked"
