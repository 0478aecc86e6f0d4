"""The queue end to end: real Redis, real worker processes, real sandbox containers."""

from __future__ import annotations

import asyncio
import os
from collections import Counter

import pytest
from saq import Job, Worker
from saq.queue.redis import RedisQueue

from runner import Runner, RunnerConfig, Status
from runner.queue import QueueConfig, QueueRunner
from runner.queue.client import BUSY, MALFORMED, UNREACHABLE
from runner.queue.redis import make_queue
from tests.runner.conftest import ADD
from tests.servers import RedisServer, WorkerProcess, free_port

from .conftest import Workers, returns, wait_for_workers

pytestmark = [pytest.mark.docker, pytest.mark.redis]

ADD_OK = "def add(a, b):\n    return a + b\n"


async def completed_by(client: QueueRunner) -> dict[str, int]:
    """Jobs each live worker has completed, as the workers advertise it."""
    info = await client.queue.info()
    return {worker: entry["stats"]["complete"] for worker, entry in info["workers"].items()}


async def test_every_operation_through_the_queue(
    client: QueueRunner, workers: Workers, redis_server: RedisServer
) -> None:
    worker = workers.start(redis_server.url, queue_name=client.config.name)
    await wait_for_workers(client, worker)

    verdict = await client.judge(ADD_OK, ADD, owner="learner")
    assert verdict.status is Status.ACCEPTED and verdict.passed == 3
    assert verdict.python_version  # the worker's image told it
    wrong = await client.judge("def add(a, b):\n    return a - b\n", ADD)
    assert wrong.status is Status.WRONG_ANSWER
    assert wrong.failed is not None and wrong.failed.expected == "3"
    syntax = await client.judge("def add(a, b:\n", ADD)
    assert syntax.status is Status.SYNTAX_ERROR  # judged host-side on the worker, as in-process
    ran = await client.run("print(input() * 2)", "ab")
    assert ran.stdout == "abab\n", ran
    computed = await client.outputs(ADD_OK, ADD)
    async with Runner(RunnerConfig(pool_size=0, max_concurrency=1)) as local:
        assert computed == await local.outputs(ADD_OK, ADD)  # exactly what in-process computes
        here, there = await local.judge(ADD_OK, computed), await client.judge(ADD_OK, computed)
    assert here.status is there.status is Status.ACCEPTED
    assert [t.model_dump(exclude={"duration_ms", "memory_kib"}) for t in here.tests] == [
        t.model_dump(exclude={"duration_ms", "memory_kib"}) for t in there.tests
    ]
    assert client.python_version == verdict.python_version
    assert not client.is_busy("learner")
    assert (await client.stats()).workers[0].concurrency == 1


async def test_jobs_spread_over_two_workers(
    client: QueueRunner, workers: Workers, redis_server: RedisServer
) -> None:
    first = workers.start(redis_server.url, queue_name=client.config.name)
    second = workers.start(redis_server.url, queue_name=client.config.name)
    await wait_for_workers(client, first, second)

    jobs = [returns(n) for n in range(12)]
    verdicts = await asyncio.gather(*(client.judge(source, spec) for source, spec in jobs))
    assert [v.status for v in verdicts] == [Status.ACCEPTED] * 12
    # Each worker runs one job at a time, so with twelve in flight both must have taken some.
    for _ in range(100):  # worker stats are re-advertised every few seconds
        done = await completed_by(client)
        if sum(done.values()) >= 12:
            break
        await asyncio.sleep(0.2)
    assert done.get(first.id, 0) > 0 and done.get(second.id, 0) > 0, done


async def test_worker_killed_mid_job_is_retried_on_the_other(
    client: QueueRunner, workers: Workers, redis_server: RedisServer
) -> None:
    first = workers.start(redis_server.url, queue_name=client.config.name)
    second = workers.start(redis_server.url, queue_name=client.config.name)
    await wait_for_workers(client, first, second)
    by_id = {first.id: first, second.id: second}

    spec = returns(7, test_seconds=4.5)[1]
    slow = "def f():\n    import time\n    time.sleep(3)\n    return 7\n"
    judging = asyncio.create_task(client.judge(slow, spec, owner="learner"))
    active = None
    while active is None:
        assert not judging.done(), judging.result()
        info = await client.queue.info(jobs=True)
        active = next((j for j in info["jobs"] if j["status"] == "active"), None)
        await asyncio.sleep(0.05)
    victim = by_id[active["worker_id"]]
    workers.kill(victim)
    survivor = second if victim is first else first

    verdict = await asyncio.wait_for(judging, 120)  # a guard against hanging, not a speed test
    assert verdict.status is Status.ACCEPTED, verdict.summary
    job = await client.queue.job(active["key"])
    assert job is not None
    assert job.attempts == 2 and job.worker_id == survivor.id
    # its replacement, as a restart policy would start (the fixture checks what the dead one left)
    await wait_for_workers(client, workers.start(redis_server.url, queue_name=client.config.name))


async def test_a_job_nobody_picks_up_is_answered_busy(
    redis_server: RedisServer, queue_name: str
) -> None:
    config = QueueConfig(url=redis_server.url, name=queue_name, pickup_seconds=0.5)
    async with QueueRunner(config) as client:
        verdict = await asyncio.wait_for(client.judge(ADD_OK, ADD, owner="u"), 30)
        assert verdict.status is Status.SANDBOX_ERROR
        assert verdict.summary.startswith(BUSY)
        assert not verdict.status.blames_user
        assert not client.is_busy("u")
        assert await client.queue.count("queued") == 0  # withdrawn, never run later
        ran = await client.run("print(1)")
        assert ran.status.value == "sandbox_error"
        assert ran.message == BUSY


async def test_redis_down_answers_promptly_and_recovers(
    fresh_redis: RedisServer, workers: Workers, queue_name: str
) -> None:
    config = QueueConfig(url=fresh_redis.url, name=queue_name)
    worker = workers.start(fresh_redis.url, queue_name=queue_name)
    async with QueueRunner(config) as client:
        await wait_for_workers(client, worker)
        assert (await client.judge(ADD_OK, ADD)).status is Status.ACCEPTED

        fresh_redis.stop()
        verdict = await asyncio.wait_for(client.judge(ADD_OK, ADD), 30)
        assert verdict.status is Status.SANDBOX_ERROR
        assert verdict.summary.startswith(UNREACHABLE)
        with pytest.raises(Exception, match="unreachable"):
            await client.outputs(ADD_OK, ADD)

        fresh_redis.start()
        await wait_for_workers(client, worker)  # the worker reconnected by itself
        verdict = await asyncio.wait_for(client.judge(ADD_OK, ADD), 60)
        assert verdict.status is Status.ACCEPTED
    assert "lost the queue" in worker.log() or "unreachable" in worker.log()


async def test_a_malformed_reply_becomes_a_sandbox_error(
    redis_server: RedisServer, queue_name: str
) -> None:
    """A worker that answers garbage (a bug, or a hostile machine) cannot crash the bot."""
    replies = iter(
        [
            {"verdict": {"status": "accepted", "summary": 1}},  # fails validation
            "not even a dict",
            {"run": {"status": "ok"}},
        ]
    )

    async def judge(ctx: dict, args: dict) -> object:
        return next(replies)

    queue: RedisQueue = make_queue(redis_server.url, queue_name, blocking_seconds=1)
    await queue.connect()
    hostile = Worker(
        queue, functions=[("judge", judge), ("run", judge)], concurrency=1, dequeue_timeout=1
    )
    serving = asyncio.create_task(hostile.start())
    try:
        async with QueueRunner(QueueConfig(url=redis_server.url, name=queue_name)) as client:
            for _ in range(2):
                verdict = await asyncio.wait_for(client.judge(ADD_OK, ADD), 30)
                assert verdict.status is Status.SANDBOX_ERROR
                assert verdict.summary.startswith(MALFORMED)
            ran = await asyncio.wait_for(client.run("print(1)"), 30)
            assert ran.status.value == "sandbox_error" and ran.message == MALFORMED
    finally:
        hostile.event.set()
        await serving
        await queue.disconnect()


async def test_a_job_key_is_executed_once(redis_server: RedisServer, queue_name: str) -> None:
    """Re-sending a job (the client retries an enqueue whose reply was lost) is a no-op."""
    calls = Counter()

    async def judge(ctx: dict, args: dict) -> dict:
        calls[ctx["job"].key] += 1
        return {}

    queue = make_queue(redis_server.url, queue_name, blocking_seconds=1)
    await queue.connect()
    first = await queue.enqueue(Job("judge", kwargs={"args": {}}, key="same"))
    again = await queue.enqueue(Job("judge", kwargs={"args": {}}, key="same"))
    assert first is not None and again is None
    worker = Worker(
        queue, functions=[("judge", judge)], concurrency=1, dequeue_timeout=0.2, burst=True
    )
    await worker.start()
    await queue.disconnect()
    assert calls == {"same": 1}


SOAK_JOBS = int(os.environ.get("PYDOJO_TEST_QUEUE_JOBS", "500"))


async def test_no_lost_or_doubled_verdicts_through_faults(
    fresh_redis: RedisServer, workers: Workers, queue_name: str
) -> None:
    """500 submissions over two workers while one worker is SIGKILLed and Redis restarts.

    Every submission gets exactly one verdict, and it is its own (each program returns its own
    number, so a verdict delivered to the wrong submission would be a wrong answer). Jobs
    caught in a fault may end as sandbox_error (never counted against anyone); most pass.
    """
    url = fresh_redis.url
    config = QueueConfig(url=url, name=queue_name)
    first = workers.start(url, queue_name=queue_name)
    second = workers.start(url, queue_name=queue_name)
    answers: Counter[int] = Counter()
    statuses: Counter[Status] = Counter()
    in_flight = 12
    slots = asyncio.Semaphore(in_flight)
    quarter, half = asyncio.Event(), asyncio.Event()

    async with QueueRunner(config) as client:
        await wait_for_workers(client, first, second)

        async def submit(number: int) -> None:
            source, spec = returns(number)
            async with slots:
                verdict = await client.judge(source, spec, owner=f"learner-{number % 20}")
            answers[number] += 1
            statuses[verdict.status] += 1
            done = sum(answers.values())
            if done >= SOAK_JOBS * 0.25:
                quarter.set()
            if done >= SOAK_JOBS * 0.55:
                half.set()
            assert verdict.status in (Status.ACCEPTED, Status.SANDBOX_ERROR), verdict.summary

        async def faults() -> None:
            await quarter.wait()
            workers.kill(first)  # mid-job: both workers are always busy here
            workers.start(url, queue_name=queue_name)  # its replacement (a restart policy)
            await half.wait()
            fresh_redis.stop()
            await asyncio.sleep(1.0)
            fresh_redis.start()

        chaos = asyncio.create_task(faults())
        await asyncio.wait_for(asyncio.gather(*(submit(n) for n in range(SOAK_JOBS))), 1800)
        await chaos
        assert answers == Counter(range(SOAK_JOBS))  # each exactly once: none lost, none doubled
        # Only jobs in flight during a fault can fail: at most a few batches of them.
        assert statuses[Status.SANDBOX_ERROR] <= 3 * in_flight, statuses
        assert statuses[Status.ACCEPTED] >= SOAK_JOBS - 3 * in_flight
        assert not any(client.is_busy(f"learner-{n}") for n in range(20))


async def test_sigterm_lets_the_running_job_finish(
    client: QueueRunner, workers: Workers, redis_server: RedisServer
) -> None:
    worker = workers.start(redis_server.url, queue_name=client.config.name)
    await wait_for_workers(client, worker)
    spec = returns(3, test_seconds=4.5)[1]
    slow = "def f():\n    import time\n    time.sleep(2)\n    return 3\n"
    judging = asyncio.create_task(client.judge(slow, spec))
    while not (await client.queue.info())["active"]:
        assert not judging.done()
        await asyncio.sleep(0.05)
    worker.process.send_signal(15)  # SIGTERM, as `docker stop` sends
    verdict = await asyncio.wait_for(judging, 120)
    assert verdict.status is Status.ACCEPTED, verdict.summary
    assert await asyncio.to_thread(worker.process.wait, 60) == 0
    # (the fixture checks that no container of it is left)


async def test_a_worker_without_an_engine_takes_no_jobs(
    redis_server: RedisServer, workers: Workers, queue_name: str
) -> None:
    sick = WorkerProcess(
        redis_server.url,
        workers.directory,
        extra_env={
            "PYDOJO_QUEUE_NAME": queue_name,
            "PYDOJO_DOCKER_URL": f"tcp://127.0.0.1:{free_port()}",
        },
    )
    workers.started.append(sick)
    config = QueueConfig(url=redis_server.url, name=queue_name, pickup_seconds=3)
    async with QueueRunner(config) as client:
        while "not taking jobs" not in sick.log():
            assert sick.process.poll() is None, sick.log()
            await asyncio.sleep(0.2)
        verdict = await asyncio.wait_for(client.judge(ADD_OK, ADD), 60)
        # Not the sick worker's sandbox_error: it left the job for a worker that can run it.
        assert verdict.summary.startswith(BUSY)
        assert (await client.stats()).workers == []


async def test_a_waiting_job_knows_its_place_in_the_queue(
    redis_server: RedisServer, workers: Workers, queue_name: str
) -> None:
    config = QueueConfig(url=redis_server.url, name=queue_name, pickup_seconds=300)
    async with QueueRunner(config) as client:
        assert await client.ahead_of("me") is None  # nothing of theirs in flight
        early = [
            asyncio.create_task(client.judge(ADD_OK, ADD, owner=f"early-{n}")) for n in range(2)
        ]
        for _ in range(600):  # no worker yet: both wait
            if await client.queue.count("queued") == 2:
                break
            await asyncio.sleep(0.05)
        mine = asyncio.create_task(client.judge(ADD_OK, ADD, owner="me"))
        for _ in range(600):
            if await client.ahead_of("me") is not None:
                break
            await asyncio.sleep(0.05)
        assert await client.ahead_of("me") == 2
        early_places = [await client.ahead_of(f"early-{n}") for n in range(2)]
        assert sorted(early_places) == [0, 1]  # the two were sent together: either order
        await wait_for_workers(client, workers.start(redis_server.url, queue_name=queue_name))
        verdicts = await asyncio.gather(*early, mine)
        assert [v.status for v in verdicts] == [Status.ACCEPTED] * 3
        assert await client.ahead_of("me") is None
