"""Runner speed on this machine, with runc and with gVisor's runsc side by side: verdict
latency with and without the pool, throughput, the event loop's worst lag while hostile
submissions are judged next to normal ones, and a million-int input.

Run: .venv/bin/python bench/runner_bench.py [--runs N] [--runtimes runc,runsc]
Targets (2 cores, runc): with the pool p50 <= 150 ms and p95 <= 400 ms; >= 7 submissions/s at
4 in flight; event-loop lag < 100 ms while hostile answers are judged; a 1,000,000-int input
judged correctly under the default 128 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from runner import JudgeSpec, Kind, Runner, RunnerConfig, SandboxLimits, Status, TestCase
from runner.values import encode

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


HOSTILE = """
class Big:
    def __repr__(self):
        return "[" + "1, " * 350_000 + "1]"

def running_max(nums):
    return Big()
"""


def config(runtime: str, **options: object) -> RunnerConfig:
    return RunnerConfig(limits=SandboxLimits(runtime=runtime), **options)  # type: ignore[arg-type]


async def latency(pool_size: int, runs: int, spec: JudgeSpec, runtime: str) -> list[float]:
    times = []
    async with Runner(config(runtime, pool_size=pool_size, max_concurrency=2)) as runner:
        await runner.judge(SOLUTION, spec)  # warm imports and connections
        for _ in range(runs):
            while pool_size and runner.pool_ready < pool_size:  # noqa: ASYNC110 (a gauge)
                await asyncio.sleep(0.02)  # users arrive slower than the pool refills
            started = time.perf_counter()
            verdict = await runner.judge(SOLUTION, spec)
            times.append((time.perf_counter() - started) * 1000)
            assert verdict.status is Status.ACCEPTED, verdict.summary
    return times


async def throughput(concurrency: int, total: int, spec: JudgeSpec, runtime: str) -> float:
    options = config(runtime, pool_size=max(2, concurrency), max_concurrency=concurrency)
    async with Runner(options) as runner:
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
        container = client.containers.create(
            DEFAULT_IMAGE, ["python3", "-c", "print(1)"], network_mode="none"
        )
        container.start()
        container.wait()
        container.logs()
        container.remove(force=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(cycle, range(total)))
    return total / (time.perf_counter() - started)


async def loop_lag_under_hostile_load(runs: int) -> tuple[float, float, int]:
    """Worst and p95 event-loop lag (ms) while hostile and normal submissions are judged."""
    hostile = JudgeSpec(
        kind=Kind.FUNCTION,
        entry_point="running_max",
        tests=[TestCase(args=f"[{i}]", expected=f"[{i}]") for i in range(32)],
    )
    normal = ten_test_problem()
    lags: list[float] = []
    stop = asyncio.Event()

    async def watch() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append((time.perf_counter() - started - 0.005) * 1000)

    async with Runner(RunnerConfig(pool_size=2)) as runner:
        await runner.judge(SOLUTION, normal)
        watcher = asyncio.create_task(watch())
        jobs = [
            runner.judge(HOSTILE if i % 2 else SOLUTION, hostile if i % 2 else normal)
            for i in range(runs)
        ]
        verdicts = await asyncio.gather(*jobs)
        stop.set()
        await watcher
    assert all(v.accepted != bool(i % 2) for i, v in enumerate(verdicts))
    return max(lags), percentile(lags, 0.95), len(lags)


async def big_input() -> tuple[Status, float, int | None]:
    """A 1,000,000-int list argument, a trivial correct solution: status, ms, peak KiB."""
    numbers = list(range(1_000_000))
    spec = JudgeSpec(
        kind=Kind.FUNCTION,
        entry_point="total",
        test_seconds=5,
        tests=[TestCase(data=encode([[numbers], {}]), expected=str(sum(numbers)))],
    )
    async with Runner(RunnerConfig(pool_size=0)) as runner:
        started = time.perf_counter()
        verdict = await runner.judge("def total(nums):\n    return sum(nums)\n", spec)
        elapsed = (time.perf_counter() - started) * 1000
    return verdict.status, elapsed, verdict.peak_memory_kib


async def main(runs: int, runtimes: list[str]) -> None:
    spec = ten_test_problem()
    ceiling = await asyncio.to_thread(engine_ceiling, runs)
    print(f"engine ceiling: bare create+start+wait+logs+remove at 4 in flight: {ceiling:.1f}/s")
    print(f"verdict latency, 10-test function problem, {runs} sequential submissions")
    for runtime in runtimes:
        for label, size in (("with pool (size 2)", 2), ("without pool", 0)):
            times = await latency(size, runs, spec, runtime)
            print(
                f"  {runtime:5} {label:20} p50 {statistics.median(times):6.1f} ms   "
                f"p95 {percentile(times, 0.95):6.1f} ms   max {max(times):6.1f} ms"
            )
    print(f"throughput, {runs} submissions each, pool size max(2, concurrency)")
    for concurrency in (1, 2, 4, 8):
        rates = [await throughput(concurrency, runs, spec, runtime) for runtime in runtimes]
        cells = "   ".join(f"{rt} {rate:5.1f}/s" for rt, rate in zip(runtimes, rates, strict=True))
        print(f"  concurrency {concurrency}: {cells}")
    worst, p95, samples = await loop_lag_under_hostile_load(max(8, runs // 2))
    print(
        f"event-loop lag while megabyte-repr answers (32 tests) are judged beside normal ones: "
        f"max {worst:.1f} ms, p95 {p95:.1f} ms over {samples} samples (target < 100 ms)"
    )
    status, elapsed, peak = await big_input()
    print(
        f"1,000,000-int input, trivial solution: {status.value} in {elapsed:.0f} ms, "
        f"sandbox peak memory {peak / 1024 if peak else float('nan'):.0f} MiB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--runtimes", default="runc,runsc")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.runtimes.split(",")))
