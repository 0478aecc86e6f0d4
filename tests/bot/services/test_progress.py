"""Recording submissions: totals, XP, streaks, badges, concurrency and crash consistency."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import Badge, StatCounter, Submission, User, XpEntry
from bot.services.automode import AutoModeService
from bot.services.daily import DailyService
from bot.services.errors import RevealLocked
from bot.services.progress import NotRecordable, ProgressService, SubmissionIn
from bot.services.sessions import PracticeService
from bot.services.users import UserService
from curriculum import Curriculum
from runner import Status

from ..conftest import FakeClock, verdict, wrong


@pytest.fixture
def services(db: Database, course: Curriculum, clock: FakeClock):  # type: ignore[no-untyped-def]
    auto = AutoModeService(db, course, clock, seed=1)
    return (
        ProgressService(db, course, auto, clock),
        PracticeService(db, clock),
        UserService(db, clock),
    )


def entry(course: Curriculum, pid: str, result=None, user: int = 1, **extra) -> SubmissionIn:  # type: ignore[no-untyped-def]
    return SubmissionIn(
        user_id=user,
        problem=course.problems[pid],
        source="def add(a, b): ...",
        verdict=result or verdict(),
        **extra,
    )


async def count(db: Database, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def test_first_try_solve_without_hints(services, course, db) -> None:
    progress, _, _ = services
    result = await progress.record(entry(course, "a-basics-b0"))
    assert result.first_solve and result.accepted and result.attempts == 1
    assert result.xp_gained == 75  # 50 + 20% no hints + 30% first try
    assert result.streak == 1 and result.new_badges == ["first-solve"]
    assert result.level.number == 1 and not result.level_up


async def test_one_solve_is_one_attempt_and_counts_once(services, course, db, clock) -> None:
    progress, practice, _ = services
    await practice.start(1, "a-basics-b0", context="dm")
    await progress.record(entry(course, "a-basics-b0", wrong()))
    await practice.next_hint(1)
    clock.advance(minutes=5)
    solved = await progress.record(entry(course, "a-basics-b0"))
    again = await progress.record(entry(course, "a-basics-b0"))
    assert solved.first_solve and solved.xp_gained == 50  # a hint was used, not first try
    assert not again.first_solve and again.xp_gained == 0
    async with db.read() as session:
        counter = await session.get(StatCounter, (1, "alpha", "basics", "arithmetic", "beginner"))
        user = await session.get(User, 1)
    # the re-submission after solving is stored but does not lower the module's mastery
    assert (counter.attempts, counter.solved, counter.first_try) == (2, 1, 0)
    assert counter.solve_seconds == pytest.approx(300)
    assert user.solved_count == 1 and user.xp == 50
    assert await count(db, Submission) == 3 and await count(db, XpEntry) == 1


async def test_sandbox_errors_are_never_recorded(services, course, db) -> None:
    progress, _, _ = services
    with pytest.raises(NotRecordable):
        await progress.record(entry(course, "a-basics-b0", verdict(Status.SANDBOX_ERROR, 0)))
    assert await count(db, Submission) == 0


async def test_reveal_needs_honest_tries_and_then_earns_nothing(services, course) -> None:
    progress, practice, _ = services
    await practice.start(1, "a-basics-i0", context="dm")
    with pytest.raises(RevealLocked):
        await practice.reveal(1)
    await progress.record(entry(course, "a-basics-i0", wrong()))
    await progress.record(entry(course, "a-basics-i0", wrong()))
    await practice.reveal(1)
    result = await progress.record(entry(course, "a-basics-i0"))
    assert result.first_solve and result.xp_gained == 0 and result.streak == 0
    assert result.revealed and result.new_badges == []  # not even "first steps"


async def test_hints_run_out_after_three(services) -> None:
    _, practice, _ = services
    await practice.start(1, "a-basics-b1", context="dm")
    shown = [await practice.next_hint(1) for _ in range(4)]
    assert [(h.level, h.new) for h in shown] == [(1, True), (2, True), (3, True), (3, False)]
    assert await practice.can_reveal(1)


async def test_simultaneous_submissions_leave_consistent_totals(services, course, db) -> None:
    progress, _, _ = services
    results = await asyncio.gather(
        *(progress.record(entry(course, "a-basics-b0")) for _ in range(8)),
        *(progress.record(entry(course, "a-basics-b1", user=2)) for _ in range(4)),
    )
    assert sum(r.first_solve for r in results[:8]) == 1
    assert sum(r.first_solve for r in results[8:]) == 1
    assert sorted(r.attempts for r in results[:8]) == list(range(1, 9))
    async with db.read() as session:
        one, two = await session.get(User, 1), await session.get(User, 2)
        attempts = await session.scalar(select(func.sum(StatCounter.attempts)))
    assert (one.solved_count, one.xp, two.solved_count) == (1, 75, 1)
    # every submission is stored; attempts after a solve leave mastery alone
    assert await count(db, Submission) == 12
    assert attempts == 2 and await count(db, XpEntry) == 2


async def test_a_failure_mid_record_leaves_nothing_behind(
    services, course, db, monkeypatch
) -> None:
    progress, _, _ = services
    await progress.record(entry(course, "a-basics-b0", wrong()))

    async def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(ProgressService, "_award_badges", explode)
    with pytest.raises(RuntimeError):
        await progress.record(entry(course, "a-basics-b0"))
    assert await count(db, Submission) == 1
    assert await count(db, XpEntry) == 0 and await count(db, Badge) == 0
    async with db.read() as session:
        user = await session.get(User, 1)
        counter = await session.get(StatCounter, (1, "alpha", "basics", "arithmetic", "beginner"))
    assert (user.xp, user.solved_count, counter.attempts, counter.solved) == (0, 0, 1, 0)


async def test_daily_streak_follows_the_learners_time_zone(services, course, db, clock) -> None:
    progress, _, users = services
    assert await users.set_time_zone(1, "America/Los_Angeles")
    assert not await users.set_time_zone(1, "Mars/Olympus")
    # 2026-03-02 06:00 UTC is still March 1st in Los Angeles.
    clock.now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert (await progress.record(entry(course, "a-basics-b0"))).streak == 1
    clock.now = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # March 2nd there: next day
    assert (await progress.record(entry(course, "a-basics-b1"))).streak == 2
    clock.now = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # still March 2nd there: unchanged
    assert (await progress.record(entry(course, "a-basics-b2"))).streak == 2
    clock.now = datetime(2026, 3, 5, 20, 0, tzinfo=UTC)  # a gap: back to one
    assert (await progress.record(entry(course, "a-basics-b3"))).streak == 1
    async with db.read() as session:
        user = await session.get(User, 1)
    assert user.best_streak == 2 and user.last_solve_day == date(2026, 3, 5)


async def test_daily_challenge_completion_ranks_and_first_badge(
    services, course, db, clock
) -> None:
    progress, practice, _ = services
    daily = DailyService(db, course, clock)
    challenge = await daily.today(guild_id=77)
    assert (await daily.today(guild_id=77)).id == challenge.id  # one per day
    ranks = []
    for user in (5, 6):
        await practice.start(
            user,
            challenge.problem_id,
            challenge.variant_seed,
            context="guild",
            guild_id=77,
            daily_challenge_id=challenge.id,
        )
        result = await progress.record(
            entry(course, challenge.problem_id, user=user, guild_id=77, context="guild")
        )
        ranks.append((result.daily_rank, "daily-first" in result.new_badges))
    assert ranks == [(1, True), (2, False)]
