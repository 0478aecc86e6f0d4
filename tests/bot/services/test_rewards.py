"""Streak, XP and level rules, including property tests across time zones and day boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.clock import local_day
from bot.services.rewards import (
    LEVELS,
    current_streak,
    level_for,
    next_streak,
    streak_at_risk,
    xp_for_solve,
)
from curriculum import Difficulty

ZONES = [
    "UTC",
    "America/Los_Angeles",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "Europe/Berlin",
]
START = datetime(2026, 3, 20, tzinfo=UTC)  # spans the spring DST changes in both hemispheres


def reference_streak(days: list[date]) -> int:
    """Length of the run of consecutive days ending at the last day solved."""
    solved = sorted(set(days))
    run = 1
    for earlier, later in zip(solved[-2::-1], solved[:0:-1], strict=False):
        if later - earlier != timedelta(days=1):
            break
        run += 1
    return run


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    gaps=st.lists(st.integers(min_value=0, max_value=60 * 60 * 40), min_size=1, max_size=40),
)
def test_streak_equals_consecutive_local_days(zone: str, gaps: list[int]) -> None:
    moment, streak, last, days = START, 0, None, []
    for gap in gaps:
        moment += timedelta(seconds=gap)
        today = local_day(moment, zone)
        streak = next_streak(last, streak, today)
        last = today
        days.append(today)
    assert streak == reference_streak(days)
    assert current_streak(last, streak, last) == streak
    assert current_streak(last, streak, last + timedelta(days=2)) == 0


@given(st.integers(min_value=0, max_value=100_000))
def test_levels_are_monotonic_and_bounded(xp: int) -> None:
    level = level_for(xp)
    assert LEVELS[level.number - 1] <= xp
    assert level.next_at is None or xp < level.next_at
    assert level_for(xp + 1).number >= level.number


def test_xp_bonuses_and_reveal() -> None:
    assert xp_for_solve(Difficulty.BEGINNER, 0, 1, False) == 75
    assert xp_for_solve(Difficulty.INTERMEDIATE, 1, 1, False) == 130
    assert xp_for_solve(Difficulty.ADVANCED, 2, 3, False) == 200
    assert xp_for_solve(Difficulty.ADVANCED, 0, 1, True) == 0


def test_streak_at_risk_only_in_the_evening_of_the_day_after() -> None:
    yesterday = date(2026, 5, 4)
    evening = datetime(2026, 5, 5, 19, 0)
    assert streak_at_risk(yesterday, 4, evening)
    assert not streak_at_risk(yesterday, 4, evening.replace(hour=9))
    assert not streak_at_risk(date(2026, 5, 5), 4, evening)  # already solved today
    assert not streak_at_risk(date(2026, 5, 3), 4, evening)  # already broken
