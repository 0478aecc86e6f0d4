"""Queue fixtures: a real Redis on loopback, real `pydojo runner serve` worker processes."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from runner import JudgeSpec, Kind, SandboxLimits, TestCase
from runner.engine import REAP_GRACE_SECONDS, Engine
from runner.queue import QueueConfig, QueueRunner
from tests.servers import RedisServer, WorkerProcess, containers_of


def returns(value: int, *, test_seconds: float | None = None) -> tuple[str, JudgeSpec]:
    """A one-test problem only a program returning ``value`` passes (so mix-ups show)."""
    spec = JudgeSpec(
        kind=Kind.FUNCTION,
        entry_point="f",
        tests=[TestCase(args="", expected=str(value))],
        test_seconds=test_seconds,
    )
    return f"def f():\n    return {value}\n", spec


class Workers:
    """Worker processes started by a test; all stopped, and their containers checked, after."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[WorkerProcess] = []
        self.killed: list[WorkerProcess] = []

    def start(self, url: str, *, queue_name: str, concurrency: int = 1) -> WorkerProcess:
        worker = WorkerProcess(
            url,
            self.directory,
            concurrency=concurrency,
            extra_env={"PYDOJO_QUEUE_NAME": queue_name},
        )
        self.started.append(worker)
        return worker

    def kill(self, worker: WorkerProcess) -> None:
        worker.kill()
        self.killed.append(worker)

    def stop_all(self) -> list[str]:
        """Stop every live worker with SIGTERM; return the failures."""
        problems = []
        for worker in self.started:
            if worker in self.killed:
                continue
            code = worker.terminate()
            if code != 0:
                problems.append(f"worker {worker.id} exited {code}:\n{worker.log()[-3000:]}")
        return problems


@pytest.fixture
def workers(sandbox: None) -> Iterator[Workers]:
    # Not under pytest's tmp_path: other pytest runs on the machine prune old basetemps.
    directory = Path(tempfile.mkdtemp(prefix="pydojo-workers-"))
    started = Workers(directory)
    yield started
    try:
        _check_and_clean(started)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _check_and_clean(started: Workers) -> None:
    problems = started.stop_all()
    graceful = [w.owner for w in started.started if w not in started.killed]
    leaked = containers_of(graceful)
    # A killed worker cannot clean up: its containers end by themselves within their lifetime
    # (the engine then removes them), and a runner reaps any left past it. Wait for that.
    dead = [w.owner for w in started.killed]
    give_up = time.monotonic() + LIFETIME_BOUND
    while containers_of(dead) and time.monotonic() < give_up:
        time.sleep(1)
    leaked += containers_of(dead)
    assert not problems, "\n".join(problems)
    assert leaked == [], "sandbox containers left behind by workers"


# The sandbox lifetime with default limits, plus the reaper's grace and margin.
LIFETIME_BOUND = Engine("unused", SandboxLimits()).lifetime + REAP_GRACE_SECONDS + 30


@pytest.fixture
def queue_name() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def client(redis_server: RedisServer, queue_name: str) -> AsyncIterator[QueueRunner]:
    async with QueueRunner(QueueConfig(url=redis_server.url, name=queue_name)) as queue:
        yield queue


async def wait_for_workers(
    client: QueueRunner, *workers: WorkerProcess, limit: float = 120
) -> None:
    """Until every given worker advertises itself on the client's queue."""
    wanted = {w.id for w in workers}
    loop = asyncio.get_running_loop()
    give_up = loop.time() + limit
    while loop.time() < give_up:
        for worker in workers:
            if worker.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{worker.log()[-3000:]}")
        try:
            alive = {w.id for w in (await client.stats()).workers}
        except Exception:  # Redis restarting: ask again
            alive = set()
        if wanted <= alive:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"workers never came up: {wanted - alive}")
