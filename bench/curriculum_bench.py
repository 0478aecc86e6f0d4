"""How long loading the whole course takes (target: < 0.5 s for 150 problems).

Run: .venv/bin/python bench/curriculum_bench.py
"""

from __future__ import annotations

import statistics
import time

from curriculum import load_curriculum


def main(runs: int = 10) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        course = load_curriculum()
        times.append(time.perf_counter() - started)
    print(
        f"loaded {len(course.problems)} problems in {len(course.modules)} modules: "
        f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
        f"over {runs} cold parses (the process then keeps the parsed course)"
    )


if __name__ == "__main__":
    main()
