"""Stats trees, history paging, guild leaderboards and reminders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db import Database
from bot.services.automode import AutoModeService
from bot.services.errors import UnknownTimeZone
from bot.services.leaderboard import LeaderboardService
from bot.services.progress import ProgressService, SubmissionIn
from bot.services.server_settings import ServerSettingsService
from bot.services.stats import StatsService
from bot.services.users import UserService
from curriculum import Curriculum

from ..conftest import FakeClock, verdict, wrong


@pytest.fixture
def progress(db: Database, course: Curriculum, clock: FakeClock) -> ProgressService:
    return ProgressService(db, course, AutoModeService(db, course, clock, seed=3), clock)


async def submit(
    progress: ProgressService,
    course: Curriculum,
    pid: str,
    ok: bool = True,
    user: int = 1,
    guild: int | None = None,
) -> None:
    await progress.record(
        SubmissionIn(
            user_id=user,
            problem=course.problems[pid],
            source="s",
            verdict=verdict() if ok else wrong(),
            guild_id=guild,
            context="guild" if guild else "dm",
        )
    )


async def test_stats_tree_mastery_weakest_and_untouched(db, course, clock, progress) -> None:
    await submit(progress, course, "a-basics-b0", ok=False)
    await submit(progress, course, "a-basics-b0")
    await submit(progress, course, "a-other-b0")
    for _ in range(3):
        await submit(progress, course, "b-basics-b0", ok=False)
    await submit(progress, course, "b-basics-b0")
    stats = await StatsService(db, course, clock).stats(1)
    alpha, beta = stats.modules["alpha"], stats.modules["beta"]
    assert (alpha.totals.attempts, alpha.totals.solved) == (3, 2)
    leaf = alpha.children["basics"].children["arithmetic"].children["beginner"]
    assert (leaf.totals.attempts, leaf.totals.solved, leaf.totals.first_try) == (2, 1, 0)
    assert alpha.children["basics"].title == "Basics"
    assert beta.totals.mastery == pytest.approx(0.25)
    assert stats.weakest == ["beta", "alpha"] and stats.untouched == []
    assert stats.solved == 3 and stats.streak == 1 and "first-solve" in stats.badges
    assert stats.totals.attempts == 7


async def test_a_fully_solved_module_is_not_listed_to_practise_next(
    db, course, clock, progress
) -> None:
    await submit(progress, course, "a-basics-b0")
    await submit(progress, course, "a-basics-b0")  # practising it again
    await submit(progress, course, "b-basics-b0", ok=False)
    stats = await StatsService(db, course, clock).stats(1)
    assert stats.modules["alpha"].totals.mastery == 1 and stats.weakest == ["beta"]


async def test_history_past_the_end_gives_the_last_page(db, course, clock, progress) -> None:
    await submit(progress, course, "a-basics-b0")
    page = await StatsService(db, course, clock).history(1, 2)
    assert (page.page, page.pages, len(page.items)) == (1, 1, 1)


async def test_untouched_modules_and_empty_user(db, course, clock) -> None:
    stats = await StatsService(db, course, clock).stats(99)
    assert stats.untouched == ["alpha", "beta"] and stats.xp == 0 and stats.level.number == 1


async def test_history_is_paged_newest_first(db, course, clock, progress) -> None:
    for i in range(12):
        clock.advance(minutes=1)
        await submit(progress, course, f"a-basics-b{i % 4}", ok=i % 2 == 0)
    service = StatsService(db, course, clock)
    first, last = await service.history(1, 1, per_page=5), await service.history(1, 3, 5)
    assert (first.total, first.pages, len(first.items), len(last.items)) == (12, 3, 5, 2)
    assert first.items[0].created_at > first.items[-1].created_at
    assert first.items[0].problem_id == "a-basics-b3"
    assert first.items[0].title == course.problems["a-basics-b3"].title  # what the learner saw


async def test_guild_boards_count_only_local_solves_unless_opted_in(
    db, course, clock, progress
) -> None:
    for user, pid, guild in [
        (1, "a-basics-b0", 10),
        (1, "a-basics-i0", 20),
        (2, "a-basics-a0", 20),
        (3, "a-basics-b1", None),
    ]:
        clock.advance(minutes=1)  # earlier solvers win ties
        await submit(progress, course, pid, user=user, guild=guild)
    boards = LeaderboardService(db, clock)
    assert [(e.user_id, e.xp) for e in await boards.all_time(10)] == [(1, 75)]
    assert [(e.user_id, e.xp) for e in await boards.all_time(20)] == [(2, 300), (1, 150)]
    await boards.set_listed(10, 3, True, all_solves=True)
    assert [(e.user_id, e.solves) for e in await boards.all_time(10)] == [(1, 1), (3, 1)]


async def test_weekly_board_starts_on_monday_in_the_guild_time_zone(
    db, course, clock, progress
) -> None:
    servers = ServerSettingsService(db, clock)
    await servers.update(10, time_zone="Pacific/Auckland")
    clock.now = datetime(2026, 3, 8, 10, 30, tzinfo=UTC)  # Sunday 23:30 in Auckland
    await submit(progress, course, "a-basics-b0", user=1, guild=10)
    clock.now = datetime(2026, 3, 8, 11, 30, tzinfo=UTC)  # Monday 00:30 in Auckland
    await submit(progress, course, "a-basics-b1", user=2, guild=10)
    assert [e.user_id for e in await LeaderboardService(db, clock).this_week(10)] == [2]
    with pytest.raises(UnknownTimeZone):
        await servers.update(10, time_zone="Nowhere/Special")


async def test_streak_reminders_find_learners_at_risk(db, course, clock, progress) -> None:
    users = UserService(db, clock)
    await submit(progress, course, "a-basics-b0", user=1)
    await submit(progress, course, "a-basics-b0", user=2)
    await users.set_dm_reminders(1, True)
    clock.advance(hours=20)  # next day, 08:00 UTC: too early
    assert await users.streaks_at_risk() == []
    clock.advance(hours=11)  # 19:00 UTC the next day
    assert [u.id for u in await users.streaks_at_risk()] == [1]
