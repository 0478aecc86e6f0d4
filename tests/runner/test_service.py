"""The async runner: concurrency, queueing, pooling, cancellation and infrastructure failures."""

from __future__ import annotations

import asyncio
import contextlib

import docker
import pytest

from runner import DEFAULT_IMAGE, Runner, RunnerConfig, RunStatus, Status
from runner.engine import INSTANCE_LABEL, LABEL, LIFETIME_LABEL, OWNER_LABEL

from .conftest import ADD

pytestmark = pytest.mark.docker

SOLUTIONS = {
    "def add(a, b):\n    return a + b\n": Status.ACCEPTED,
    "def add(a, b):\n    return a - b\n": Status.WRONG_ANSWER,
    "def add(a, b):\n    return a / 0\n": Status.RUNTIME_ERROR,
    "def add(a, b)\n    return a\n": Status.SYNTAX_ERROR,
}


async def test_fifty_concurrent_submissions_are_all_judged_correctly(runner: Runner) -> None:
    cases = [list(SOLUTIONS)[i % len(SOLUTIONS)] for i in range(50)]
    verdicts = await asyncio.gather(
        *(runner.judge(src, ADD, owner=f"u{i % 7}") for i, src in enumerate(cases))
    )
    assert [v.status for v in verdicts] == [SOLUTIONS[src] for src in cases]
    assert runner.queue_depth == 0 and not runner.is_busy("u0")


async def test_owner_is_busy_while_its_submission_runs(runner: Runner) -> None:
    task = asyncio.create_task(runner.run("import time\ntime.sleep(0.5)\n", owner="alice"))
    await asyncio.sleep(0.1)
    assert runner.is_busy("alice") and not runner.is_busy("bob")
    assert (await task).status is RunStatus.OK
    assert not runner.is_busy("alice")


async def test_cancelling_a_running_submission_leaves_no_container(sandbox: None) -> None:
    async with Runner(RunnerConfig(pool_size=1, max_concurrency=2)) as own:
        task = asyncio.create_task(own.run("import time\ntime.sleep(30)\n"))
        await asyncio.sleep(0.8)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # a queued one can be cancelled too
        waiting = [asyncio.create_task(own.run("import time\ntime.sleep(30)\n")) for _ in range(3)]
        await asyncio.sleep(0.5)
        for t in waiting:
            t.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        assert own.queue_depth == 0
        after = await own.judge("def add(a, b):\n    return a + b\n", ADD)
        assert after.status is Status.ACCEPTED
    assert _containers_of(own) == []


async def test_without_a_pool_every_submission_still_works(sandbox: None) -> None:
    async with Runner(RunnerConfig(pool_size=0, max_concurrency=2)) as cold:
        verdict = await cold.judge("def add(a, b):\n    return a + b\n", ADD)
        assert verdict.status is Status.ACCEPTED and cold.pool_ready == 0
    assert _containers_of(cold) == []


async def test_dead_pooled_containers_are_replaced_transparently(sandbox: None) -> None:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=2)) as own:
        for _ in range(50):
            if own.pool_ready == 2:
                break
            await asyncio.sleep(0.1)
        client = docker.from_env()
        for container_id in own.engine.list_ids():
            client.containers.get(container_id).kill()  # as an engine restart would
        verdict = await own.judge("def add(a, b):\n    return a + b\n", ADD)
        assert verdict.status is Status.ACCEPTED
    assert _containers_of(own) == []


async def test_engine_down_is_a_prompt_sandbox_error() -> None:
    config = RunnerConfig(docker_url="unix:///tmp/pydojo-no-such-engine.sock", pool_size=1)
    async with Runner(config) as broken:
        verdict = await broken.judge("def add(a, b):\n    return a + b\n", ADD)
        result = await broken.run("print(1)\n")
    assert verdict.status is Status.SANDBOX_ERROR and not verdict.status.blames_user
    assert verdict.error and "engine is not reachable" in verdict.error.message
    assert result.status is RunStatus.SANDBOX_ERROR and "engine" in result.message


async def test_missing_image_is_a_sandbox_error_with_the_remedy(sandbox: None) -> None:
    async with Runner(RunnerConfig(image="pydojo-sandbox:does-not-exist", pool_size=0)) as r:
        verdict = await r.judge("def add(a, b):\n    return a + b\n", ADD)
    assert verdict.status is Status.SANDBOX_ERROR
    assert verdict.error and "pydojo sandbox build" in verdict.error.message


async def test_reaping_removes_containers_past_their_lifetime_only(sandbox: None) -> None:
    client = docker.from_env()
    # An orphan of some other process, anywhere: its lifetime is over. A live one is not.
    orphan = client.containers.create(
        DEFAULT_IMAGE,
        ["sleep", "60"],
        labels={LABEL: "1", OWNER_LABEL: "elsewhere:1:dead", LIFETIME_LABEL: "0"},
    )
    alive = client.containers.create(
        DEFAULT_IMAGE,
        ["sleep", "60"],
        labels={LABEL: "1", OWNER_LABEL: "elsewhere:1:alive", LIFETIME_LABEL: "600"},
    )
    try:
        async with Runner(RunnerConfig(pool_size=0)) as fresh:
            await asyncio.sleep(1.1)
            assert await asyncio.to_thread(fresh.engine.reap, grace=0) >= 1
        with pytest.raises(docker.errors.NotFound):
            client.containers.get(orphan.id)
        assert client.containers.get(alive.id)
    finally:
        for container in (orphan, alive):
            with contextlib.suppress(docker.errors.NotFound):
                container.remove(force=True)


async def test_closing_removes_what_the_runner_made_even_if_it_never_knew(sandbox: None) -> None:
    """A creation the engine finished after its request gave up: the runner has no handle on
    it, yet it carries the runner's own labels, and closing removes it."""
    client = docker.from_env()
    runner = Runner(RunnerConfig(pool_size=0))
    await runner.start()
    try:
        verdict = await runner.judge("def add(a, b):\n    return a + b\n", ADD)
        assert verdict.accepted
        [engine] = runner._engines.values()
        stray = client.containers.create(DEFAULT_IMAGE, **engine.container_options())
    finally:
        await runner.close()
    with pytest.raises(docker.errors.NotFound):
        client.containers.get(stray.id)
    assert stray.labels[INSTANCE_LABEL] == engine.instance


async def test_orphans_are_reaped_while_the_runner_runs(sandbox: None) -> None:
    client = docker.from_env()
    orphan = None
    try:
        async with Runner(RunnerConfig(pool_size=0, reap_every_seconds=0.2)):
            # Left, after the runner started, by a request the engine finished after the caller
            # gave up: long past its lifetime. The start's own reaping has been and gone.
            orphan = client.containers.create(
                DEFAULT_IMAGE,
                ["sleep", "60"],
                labels={LABEL: "1", OWNER_LABEL: "elsewhere:1:dropped", LIFETIME_LABEL: "-3600"},
            )
            for _ in range(600):  # a bound for a broken reaper, not a speed target
                try:
                    client.containers.get(orphan.id)
                except docker.errors.NotFound:
                    break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError("the orphan was never reaped")
    finally:
        if orphan is not None:
            with contextlib.suppress(docker.errors.NotFound):
                orphan.remove(force=True)


def _containers_of(runner: Runner) -> list[str]:
    return runner.engine.list_ids()
