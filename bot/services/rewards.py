"""XP, levels, daily streaks and badges: pure rules, no storage.

XP is a reward only: nothing that chooses problems ever reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from curriculum import Difficulty

XP_BY_DIFFICULTY = {Difficulty.BEGINNER: 50, Difficulty.INTERMEDIATE: 100, Difficulty.ADVANCED: 200}
NO_HINT_BONUS = 0.2  # solved without a hint
FIRST_TRY_BONUS = 0.3  # solved on the first submission
LEVELS = (0, 200, 600, 1200, 2000, 3200, 5000, 7500, 10500, 14000, 18000, 23000)
DEFAULT_REMIND_HOURS = 6  # "streak at risk" this many hours before local midnight


def xp_for_solve(difficulty: Difficulty, hints_used: int, attempts: int, revealed: bool) -> int:
    """XP for a first solve; a revealed solution earns nothing."""
    if revealed:
        return 0
    bonus = (NO_HINT_BONUS if hints_used == 0 else 0) + (FIRST_TRY_BONUS if attempts == 1 else 0)
    return round(XP_BY_DIFFICULTY[difficulty] * (1 + bonus))


@dataclass(frozen=True)
class Level:
    number: int  # 1-based
    floor: int  # XP where this level starts
    next_at: int | None  # XP where the next one starts (None at the top)


def level_for(xp: int) -> Level:
    number = sum(1 for threshold in LEVELS if xp >= threshold)
    next_at = LEVELS[number] if number < len(LEVELS) else None
    return Level(number, LEVELS[number - 1], next_at)


def next_streak(last_day: date | None, streak: int, today: date) -> int:
    """Solved today: yesterday's streak + 1, unchanged if already counted today, else 1."""
    if last_day == today:
        return max(streak, 1)
    if last_day == today - timedelta(days=1):
        return streak + 1
    return 1


def current_streak(last_day: date | None, streak: int, today: date) -> int:
    """The streak as it stands now: a missed day breaks it (even before the next solve)."""
    if last_day is not None and today - last_day <= timedelta(days=1):
        return streak
    return 0


def streak_at_risk(
    last_day: date | None,
    streak: int,
    now_local: datetime,
    hours_before: int = DEFAULT_REMIND_HOURS,
) -> bool:
    """True when a live streak ends at local midnight, at most ``hours_before`` hours from now
    (real hours: a day with a clock change is not 24 long), unless the learner solves
    something first."""
    today = now_local.date()
    if streak <= 0 or last_day != today - timedelta(days=1):
        return False
    return time_to_midnight(now_local) <= timedelta(hours=hours_before)


def time_to_midnight(now_local: datetime) -> timedelta:
    """Real time until the end of the local day of ``now_local`` (an aware datetime)."""
    midnight = datetime.combine(now_local.date() + timedelta(days=1), time(0), now_local.tzinfo)
    # Aware datetimes sharing a tzinfo subtract as wall clocks: compare in UTC instead.
    return midnight.astimezone(UTC) - now_local.astimezone(UTC)


@dataclass(frozen=True)
class BadgeInfo:
    title: str
    description: str


BADGES: dict[str, BadgeInfo] = {
    "first-solve": BadgeInfo("First steps", "Solved a first problem"),
    "solves-10": BadgeInfo("Getting going", "Solved 10 problems"),
    "solves-50": BadgeInfo("Dedicated", "Solved 50 problems"),
    "solves-100": BadgeInfo("Centurion", "Solved 100 problems"),
    "streak-3": BadgeInfo("Warming up", "Solved something 3 days in a row"),
    "streak-7": BadgeInfo("A week strong", "Solved something 7 days in a row"),
    "streak-30": BadgeInfo("Habit formed", "Solved something 30 days in a row"),
    "no-hints-10": BadgeInfo("Self-reliant", "Solved 10 problems without a hint"),
    "first-try-10": BadgeInfo("Sharpshooter", "Solved 10 problems on the first try"),
    "first-advanced": BadgeInfo("Deep end", "Solved an advanced problem"),
    "module-all-levels": BadgeInfo("Well rounded", "Solved every difficulty in one module"),
    "module-mastered": BadgeInfo("Module master", "Solved 80% of a module's problems"),
    "daily-first": BadgeInfo("Early bird", "First in a server to solve its daily challenge"),
}
MASTERED_SHARE = 0.8


@dataclass(frozen=True)
class BadgeFacts:
    """What the badge rules look at, gathered by the caller after a solve."""

    solved: int
    streak: int
    no_hint_solves: int
    first_try_solves: int
    solved_advanced: bool
    module_levels_solved: int  # distinct difficulties solved in the solved problem's module
    module_solved: int
    module_size: int
    daily_rank: int | None


def earned_badges(facts: BadgeFacts) -> set[str]:
    earned = set()
    for count, code in (
        (1, "first-solve"),
        (10, "solves-10"),
        (50, "solves-50"),
        (100, "solves-100"),
    ):
        if facts.solved >= count:
            earned.add(code)
    for days, code in ((3, "streak-3"), (7, "streak-7"), (30, "streak-30")):
        if facts.streak >= days:
            earned.add(code)
    if facts.no_hint_solves >= 10:
        earned.add("no-hints-10")
    if facts.first_try_solves >= 10:
        earned.add("first-try-10")
    if facts.solved_advanced:
        earned.add("first-advanced")
    if facts.module_levels_solved >= len(Difficulty):
        earned.add("module-all-levels")
    if facts.module_size and facts.module_solved >= MASTERED_SHARE * facts.module_size:
        earned.add("module-mastered")
    if facts.daily_rank == 1:
        earned.add("daily-first")
    return earned
