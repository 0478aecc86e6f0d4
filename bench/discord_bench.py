"""The event loop's lag while the Discord load test runs: 100 submissions from 20 learners,
each round's 20 in flight at once, through the real bot, SQLite and sandbox (fake Discord).

Run: .venv/bin/python bench/discord_bench.py [--repeat N]
Target (2 cores, nothing else running): worst lag < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from curriculum import load_curriculum
from tests.bot.conftest import COURSE
from tests.bot.exts.conftest import start_harness
from tests.bot.load import start_learners, submission_rounds
from tests.course_factory import write_problem

TICK = 0.01


async def measure(root: Path) -> tuple[float, list[float], int]:
    course_dir = root / "course"
    for pid, module, subtopic, difficulty in COURSE:
        write_problem(
            course_dir,
            pid,
            module=module,
            subtopic=subtopic,
            problem_type="arithmetic" if subtopic == "basics" else "misc",
            difficulty=difficulty,
            tags=f'["{subtopic}"]',
        )
    with pytest.MonkeyPatch.context() as patch:
        harness = await start_harness(root, load_curriculum(course_dir), patch)
        try:
            await start_learners(harness)
            lags: list[float] = []
            stop = asyncio.Event()

            async def probe() -> None:
                while not stop.is_set():
                    before = time.perf_counter()
                    await asyncio.sleep(TICK)
                    lags.append(time.perf_counter() - before - TICK)

            prober = asyncio.create_task(probe())
            started = time.perf_counter()
            replies = await submission_rounds(harness)
            elapsed = time.perf_counter() - started
            stop.set()
            await prober
        finally:
            await harness.bot.close()
    answered = sum(len(texts) == 1 for texts in replies.values())
    return elapsed, lags, answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the whole load")
    args = parser.parse_args()
    print("Discord load: 100 submissions from 20 learners (20 in flight per round)")
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="pydojo-discord-bench-") as tmp:
            elapsed, lags, answered = asyncio.run(measure(Path(tmp)))
        ordered = sorted(lags)
        p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
        print(
            f"  run {run + 1}: {elapsed:.1f} s, {answered}/100 answered once; event-loop lag "
            f"max {max(lags) * 1000:.1f} ms, p95 {p95:.1f} ms, "
            f"median {statistics.median(lags) * 1000:.1f} ms (target: max < 100 ms)"
        )


if __name__ == "__main__":
    main()
