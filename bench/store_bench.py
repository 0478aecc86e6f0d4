"""Storage speed with 10,000 learners and 1,000,000 submissions in SQLite.

Run: .venv/bin/python bench/store_bench.py [--users N] [--submissions N] [--keep PATH]
Targets: recording a submission p50 <= 5 ms; a learner's full stats <= 20 ms; a guild
leaderboard <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db import Database
from bot.services.automode import AutoModeService
from bot.services.leaderboard import LeaderboardService
from bot.services.progress import ProgressService, SubmissionIn
from bot.services.rewards import xp_for_solve
from bot.services.stats import StatsService
from curriculum import default_curriculum
from runner import Status, TestOutcome, Verdict

GUILDS = 50
START = datetime(2026, 1, 1, tzinfo=UTC)


def fmt(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def populate(path: Path, users: int, submissions: int, seed: int = 1) -> None:
    """Bulk-load consistent history straight through sqlite3 (the services would take hours)."""
    rng = random.Random(seed)
    problems = list(default_curriculum().problems.values())
    per_user = submissions // users
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = fmt(START)
    db.executemany(
        "INSERT INTO guilds (id, practice_threads, time_zone, daily_time, created_at)"
        " VALUES (?, 1, 'UTC', '09:00', ?)",
        [(g, now) for g in range(1, GUILDS + 1)],
    )
    sub_rows, state_rows, counter_rows, xp_rows, user_rows = [], [], [], [], []
    badge_rows: list[tuple] = []
    sub_id = 0
    for user in range(1, users + 1):
        guild = rng.randint(1, GUILDS)
        states: dict[str, list] = {}
        counters: dict[tuple, list] = {}
        xp = solved = 0
        moment = START
        for _ in range(per_user):
            problem = rng.choice(problems)
            moment += timedelta(minutes=rng.randint(1, 600))
            accepted = rng.random() < 0.45
            state = states.setdefault(problem.id, [0, False, fmt(moment), None])
            state[0] += 1
            first = accepted and not state[1]
            key = (problem.module, problem.subtopic, problem.problem_type, problem.difficulty.value)
            counter = counters.setdefault(key, [0, 0, 0, 0.0, None])
            counter[0] += 1
            counter[4] = fmt(moment)
            sub_id += 1
            sub_rows.append(
                (
                    sub_id,
                    user,
                    guild,
                    "guild",
                    problem.id,
                    0,
                    *key,
                    "def solve(x):\n    return x\n",
                    "accepted" if accepted else "wrong_answer",
                    5 if accepted else 3,
                    5,
                    "[]",
                    20,
                    0,
                    first,
                    fmt(moment),
                )
            )
            if first:
                state[1], state[3] = True, fmt(moment)
                counter[1] += 1
                counter[2] += int(state[0] == 1)
                counter[3] += 60.0
                gained = xp_for_solve(problem.difficulty, 0, state[0], False)
                xp += gained
                solved += 1
                xp_rows.append((user, guild, gained, "solved", problem.id, sub_id, fmt(moment)))
        user_rows.append((user, xp, solved, solved, now))
        badge_rows += [
            (user, code, now)
            for need, code in (
                (1, "first-solve"),
                (10, "solves-10"),
                (10, "no-hints-10"),
                (50, "solves-50"),
                (100, "solves-100"),
            )
            if solved >= need
        ]
        state_rows += [(user, pid, s[0], s[1], s[2], s[3]) for pid, s in states.items()]
        counter_rows += [(user, *key, *c) for key, c in counters.items()]
    db.executemany(
        "INSERT INTO users (id, time_zone, dm_reminders, xp, solved_count,"
        " no_hint_solves, first_try_solves, streak, best_streak, created_at)"
        " VALUES (?, 'UTC', 0, ?, ?, ?, 0, 0, 0, ?)",
        user_rows,
    )
    db.executemany(
        "INSERT INTO submissions (id, user_id, guild_id, context, problem_id,"
        " variant_seed, module, subtopic, problem_type, difficulty, source, verdict,"
        " passed, total, tests, duration_ms, hints_used, first_solve, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sub_rows,
    )
    db.executemany(
        "INSERT INTO problem_states (user_id, problem_id, attempts, hints_used,"
        " revealed, solved, first_try, first_seen_at, solved_at)"
        " VALUES (?, ?, ?, 0, 0, ?, 0, ?, ?)",
        state_rows,
    )
    db.executemany(
        "INSERT INTO stat_counters (user_id, module, subtopic, problem_type,"
        " difficulty, attempts, solved, first_try, solve_seconds, last_attempt_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        counter_rows,
    )
    db.executemany(
        "INSERT INTO xp_ledger (user_id, guild_id, amount, reason, problem_id,"
        " submission_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        xp_rows,
    )
    db.executemany("INSERT INTO badges (user_id, code, awarded_at) VALUES (?, ?, ?)", badge_rows)
    db.commit()
    db.execute("ANALYZE")
    db.close()


def verdict(accepted: bool) -> Verdict:
    status = Status.ACCEPTED if accepted else Status.WRONG_ANSWER
    tests = [TestOutcome(number=i, hidden=i > 2, status=Status.ACCEPTED) for i in range(1, 6)]
    return Verdict(
        status=status, summary="", passed=5 if accepted else 3, total=5, tests=tests, duration_ms=15
    )


def summary(name: str, times: list[float], target: float) -> str:
    p50 = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    mark = "ok" if p50 <= target else "OVER TARGET"
    return (
        f"  {name:28} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   (target p50 <= {target:g} ms: {mark})"
    )


async def measure(path: Path, users: int, samples: int) -> None:
    course = default_curriculum()
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    auto = AutoModeService(db, course)
    progress = ProgressService(db, course, auto)
    stats = StatsService(db, course)
    boards = LeaderboardService(db)
    rng = random.Random(2)
    problems = list(course.problems.values())
    record_ms, stats_ms, board_ms = [], [], []
    for _ in range(samples):
        entry = SubmissionIn(
            user_id=rng.randint(1, users),
            problem=rng.choice(problems),
            source="def solve(x):\n    return x\n",
            verdict=verdict(rng.random() < 0.5),
            guild_id=rng.randint(1, GUILDS),
            context="guild",
        )
        started = time.perf_counter()
        await progress.record(entry)
        record_ms.append((time.perf_counter() - started) * 1000)
    for _ in range(samples):
        started = time.perf_counter()
        await stats.stats(rng.randint(1, users))
        stats_ms.append((time.perf_counter() - started) * 1000)
    for _ in range(samples):
        started = time.perf_counter()
        await boards.all_time(rng.randint(1, GUILDS))
        board_ms.append((time.perf_counter() - started) * 1000)
    week_ms = []
    for _ in range(samples // 2):
        started = time.perf_counter()
        await boards.this_week(rng.randint(1, GUILDS))
        week_ms.append((time.perf_counter() - started) * 1000)
    await db.close()
    print(summary("record a submission", record_ms, 5))
    print(summary("a learner's full stats", stats_ms, 20))
    print(summary("guild leaderboard, all time", board_ms, 50))
    print(summary("guild leaderboard, this week", week_ms, 50))


async def main(users: int, submissions: int, samples: int, keep: Path | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="pydojo-store-bench-"))
    path = keep or workdir / "bench.sqlite3"
    if not path.exists():
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        await db.close()
        started = time.perf_counter()
        populate(path, users, submissions)
        print(
            f"populated {users:,} learners and {submissions:,} submissions in "
            f"{time.perf_counter() - started:.0f} s ({path.stat().st_size / 2**20:.0f} MiB)"
        )
    await measure(path, users, samples)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--submissions", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="reuse or keep the database file here")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.submissions, args.samples, args.keep))
