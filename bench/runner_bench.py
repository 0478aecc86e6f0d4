"""Runner speed on this machine: verdict latency with and without the pool, and throughput.

Run: .venv/bin/python bench/runner_bench.py [--runs N]
Targets (2 cores): with the pool p50 <= 150 ms and p95 <= 400 ms; >= 7 submissions/s at 4 in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from runner import JudgeSpec, Kind, Runner, RunnerConfig, Status, TestCase

SOLUTION = """
def running_max(nums):
    best, out = None, []
    for n in nums:
        best = n if best is None or n > best else best
        out.append(best)
    return out
"""


def ten_test_problem() -> JudgeSpec:
    tests = []
    for i in range(10):
        nums = [(i * 7 + j * 13) % 23 - 11 for j in range(i + 1)]
        expected, best = [], None
        for n in nums:
            best = n if best is None or n > best else best
            expected.append(best)
        tests.append(TestCase(args=repr(nums), expected=repr(expected), hidden=i >= 3))
    return JudgeSpec(kind=Kind.FUNCTION, entry_point="running_max", tests=tests)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def latency(pool_size: int, runs: int, spec: JudgeSpec) -> list[float]:
    times = []
    async with Runner(RunnerConfig(pool_size=pool_size, max_concurrency=2)) as runner:
        await runner.judge(SOLUTION, spec)  # warm imports and connections
        for _ in range(runs):
            while pool_size and runner.pool_ready < pool_size:  # noqa: ASYNC110 (a gauge)
                await asyncio.sleep(0.02)  # users arrive slower than the pool refills
            started = time.perf_counter()
            verdict = await runner.judge(SOLUTION, spec)
            times.append((time.perf_counter() - started) * 1000)
            assert verdict.status is Status.ACCEPTED, verdict.summary
    return times


async def throughput(concurrency: int, total: int, spec: JudgeSpec) -> float:
    config = RunnerConfig(pool_size=max(2, concurrency), max_concurrency=concurrency)
    async with Runner(config) as runner:
        await runner.judge(SOLUTION, spec)
        started = time.perf_counter()
        verdicts = await asyncio.gather(*(runner.judge(SOLUTION, spec) for _ in range(total)))
        elapsed = time.perf_counter() - started
    assert all(v.status is Status.ACCEPTED for v in verdicts)
    return total / elapsed


def engine_ceiling(total: int, concurrency: int = 4) -> float:
    """Bare docker-py lifecycles of a trivial program: what the engine allows on this machine."""
    from concurrent.futures import ThreadPoolExecutor

    import docker

    from runner import DEFAULT_IMAGE

    client = docker.from_env()

    def cycle(_: int) -> None:
        container = client.containers.create(DEFAULT_IMAGE, ["python3", "-c", "print(1)"],
                                              network_mode="none")
        container.start()
        container.wait()
        container.logs()
        container.remove(force=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(cycle, range(total)))
    return total / (time.perf_counter() - started)


async def main(runs: int) -> None:
    spec = ten_test_problem()
    ceiling = await asyncio.to_thread(engine_ceiling, runs)
    print(f"engine ceiling: bare create+start+wait+logs+remove at 4 in flight: {ceiling:.1f}/s")
    print(f"verdict latency, 10-test function problem, {runs} sequential submissions")
    for label, size in (("with pool (size 2)", 2), ("without pool", 0)):
        times = await latency(size, runs, spec)
        print(f"  {label:20} p50 {statistics.median(times):6.1f} ms   "
              f"p95 {percentile(times, 0.95):6.1f} ms   max {max(times):6.1f} ms")
    print(f"throughput, {runs} submissions each, pool size max(2, concurrency)")
    for concurrency in (1, 2, 4, 8):
        rate = await throughput(concurrency, runs, spec)
        print(f"  concurrency {concurrency}: {rate:5.1f} submissions/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    asyncio.run(main(parser.parse_args().runs))
