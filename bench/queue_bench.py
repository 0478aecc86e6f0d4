"""The job queue's cost on this machine: in-process runner vs saq + Redis + worker processes.

Run: .venv/bin/python bench/queue_bench.py [--jobs N]

Prints, for a trivial one-test function problem:
- throughput with 8 submissions in flight: in-process, through the queue with 1 worker and
  with 2 workers (each worker one job per core, the runner's rule);
- latency one submission at a time (in-process vs queue), p50 and p95, and their ratio;
- the queue's own cost per job: a syntax error is judged on the host without a container, so
  its round trip is almost pure queue (enqueue, a worker's pop, the reply, the notice).
Redis and the workers run on 127.0.0.1 and are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runner import JudgeSpec, Kind, Runner, RunnerConfig, Status, TestCase
from runner.queue import QueueConfig, QueueRunner
from tests.servers import RedisServer, WorkerProcess, redis_binary

SPEC = JudgeSpec(kind=Kind.FUNCTION, entry_point="f", tests=[TestCase(args="2", expected="4")])
GOOD = "def f(n):\n    return n * 2\n"
SYNTAX = "def f(n:\n"
CORES = os.cpu_count() or 2


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def throughput(sandbox, jobs: int, in_flight: int = 8) -> float:  # type: ignore[no-untyped-def]
    slots = asyncio.Semaphore(in_flight)

    async def one() -> None:
        async with slots:
            verdict = await sandbox.judge(GOOD, SPEC)
            assert verdict.status is Status.ACCEPTED, verdict.summary

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(jobs)))
    return jobs / (time.perf_counter() - started)


async def sequential(sandbox, source: str, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await sandbox.judge(source, SPEC)
        times.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.05)  # let the pool refill, as between real learners
    return times


def row(label: str, times: list[float]) -> str:
    return (
        f"  {label:<34} p50 {statistics.median(times):7.1f} ms   "
        f"p95 {percentile(times, 0.95):7.1f} ms"
    )


async def main(jobs: int, runs: int) -> None:
    print(f"{CORES} cores; {jobs} jobs per throughput run, {runs} sequential submissions")
    config = RunnerConfig(pool_size=2)
    async with Runner(config) as runner:
        await runner.judge(GOOD, SPEC)
        local_rate = await throughput(runner, jobs)
        local_good = await sequential(runner, GOOD, runs)
        local_syntax = await sequential(runner, SYNTAX, runs)

    binary = redis_binary()
    if binary is None:
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    directory = Path(tempfile.mkdtemp(prefix="pydojo-bench-"))
    redis = RedisServer(binary, directory / "redis")
    redis.start()
    rates: dict[int, float] = {}
    workers: list[WorkerProcess] = []
    try:
        name = f"bench-{uuid.uuid4().hex[:6]}"
        async with QueueRunner(QueueConfig(url=redis.url, name=name)) as client:
            for count in (1, 2):
                while len(workers) < count:
                    workers.append(
                        WorkerProcess(
                            redis.url,
                            directory,
                            concurrency=CORES,
                            extra_env={"PYDOJO_QUEUE_NAME": name, "PYDOJO_SANDBOX_POOL_SIZE": "2"},
                        )
                    )
                while len((await client.stats()).workers) < count:  # noqa: ASYNC110 (Redis)
                    await asyncio.sleep(0.2)
                await client.judge(GOOD, SPEC)
                rates[count] = await throughput(client, jobs)
                if count == 1:
                    queue_good = await sequential(client, GOOD, runs)
                    queue_syntax = await sequential(client, SYNTAX, runs)
    finally:
        for worker in workers:
            worker.terminate()
        redis.stop()
        shutil.rmtree(directory, ignore_errors=True)

    print("\nthroughput, 8 in flight (submissions/s)")
    print(f"  in-process                        {local_rate:5.1f}")
    for count, rate in rates.items():
        print(
            f"  queue, {count} worker(s) x {CORES} slots       {rate:5.1f}"
            f"   ({rate / local_rate:.2f}x in-process)"
        )
    print("\none submission at a time")
    print(row("in-process, sandbox run", local_good))
    print(row("queue, sandbox run", queue_good))
    print(row("in-process, syntax error (no run)", local_syntax))
    print(row("queue, syntax error (no run)", queue_syntax))
    overhead = statistics.median(queue_syntax) - statistics.median(local_syntax)
    ratio = statistics.median(queue_good) / statistics.median(local_good)
    print(
        f"\nqueue overhead per job: {overhead:.1f} ms (p50); a sandbox run through the queue "
        f"takes {ratio:.2f}x as long as in-process"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=60)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    asyncio.run(main(options.jobs, options.runs))
