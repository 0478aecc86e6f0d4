"""The daily schedule with an injected clock: slots across clock changes and midnight in many
zones, one post per server and local date, restarts, downtime, racing posters, and the
60-day no-repeat rule that prefers template variants."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from bot.db import Database
from bot.db.models import DailyChallenge
from bot.services.clock import zone
from bot.services.daily import (
    CLAIM_LEASE,
    MISSED_WINDOW,
    NO_REPEAT_DAYS,
    DailyService,
    latest_slot,
    next_slot,
    pick_daily,
    slot_at,
)
from bot.services.server_settings import ServerSettingsService
from curriculum import Curriculum, Difficulty, load_curriculum

from ..conftest import FakeClock

ZONES = [  # (zone, HH:MM): clock changes, half hours, the date line, midnight itself
    ("Europe/Berlin", "02:30"),  # inside the spring gap and the autumn repeat
    ("America/New_York", "00:00"),
    ("Australia/Lord_Howe", "01:45"),  # a half-hour clock change
    ("Asia/Kolkata", "23:59"),
    ("Pacific/Kiritimati", "00:15"),  # UTC+14
    ("Pacific/Pago_Pago", "23:30"),  # UTC-11
    ("America/St_Johns", "09:00"),  # -3:30, with DST
    ("UTC", "09:00"),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- the calendar ------------------------------------------------------------------------------


def test_a_slot_in_the_spring_gap_posts_when_the_clocks_resume() -> None:
    # Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
    at = slot_at(date(2026, 3, 29), "02:30", "Europe/Berlin")
    assert at == utc(2026, 3, 29, 1, 30)  # 03:30 CEST, the first moment after the gap
    assert at.astimezone(zone("Europe/Berlin")).hour == 3
    assert slot_at(date(2026, 3, 28), "02:30", "Europe/Berlin") == utc(2026, 3, 28, 1, 30)
    assert slot_at(date(2026, 3, 30), "02:30", "Europe/Berlin") == utc(2026, 3, 30, 0, 30)


def test_a_slot_in_the_autumn_repeat_posts_at_its_first_occurrence() -> None:
    # Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    assert slot_at(date(2026, 10, 25), "02:30", "Europe/Berlin") == utc(2026, 10, 25, 0, 30)
    # New York, 2026-11-01: 01:30 happens twice; the first is EDT (UTC-4).
    assert slot_at(date(2026, 11, 1), "01:30", "America/New_York") == utc(2026, 11, 1, 5, 30)


def test_latest_and_next_slot_around_midnight_in_far_zones() -> None:
    # 2026-03-02 10:10 UTC is 00:10 on the 3rd in Kiritimati: the 00:15 slot of the 3rd is ahead.
    now = utc(2026, 3, 2, 10, 10)
    assert latest_slot(now, "00:15", "Pacific/Kiritimati") == (
        date(2026, 3, 2),
        utc(2026, 3, 1, 10, 15),
    )
    assert next_slot(now, "00:15", "Pacific/Kiritimati") == (
        date(2026, 3, 3),
        utc(2026, 3, 2, 10, 15),
    )
    # 10:20 UTC: the slot of the 3rd has come, though it is still the 2nd in UTC.
    later = utc(2026, 3, 2, 10, 20)
    assert latest_slot(later, "00:15", "Pacific/Kiritimati")[0] == date(2026, 3, 3)
    # Samoa-adjacent Pago Pago is a day behind: its 23:30 of the 1st is 10:30 UTC on the 2nd.
    assert latest_slot(utc(2026, 3, 2, 10, 31), "23:30", "Pacific/Pago_Pago") == (
        date(2026, 3, 1),
        utc(2026, 3, 2, 10, 30),
    )


@pytest.mark.parametrize(("name", "hhmm"), ZONES)
def test_slots_are_one_a_day_and_strictly_increasing(name: str, hhmm: str) -> None:
    """Over a whole year (two clock changes), every local date has exactly one slot, slots
    come in date order, and next_slot/latest_slot agree with them."""
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(366)]
    slots = [slot_at(day, hhmm, name) for day in days]
    assert slots == sorted(slots) and len(set(slots)) == len(slots)
    gaps = {b - a for a, b in itertools.pairwise(slots)}
    assert gaps <= {timedelta(hours=h) for h in (23, 24, 25)} | {
        timedelta(hours=23, minutes=30),
        timedelta(hours=24, minutes=30),
    }
    for day, at in list(zip(days, slots, strict=True))[::7]:
        assert latest_slot(at, hhmm, name) == (day, at)
        assert latest_slot(at - timedelta(seconds=1), hhmm, name)[0] == day - timedelta(days=1)
        assert next_slot(at, hhmm, name) == (
            day + timedelta(days=1),
            slot_at(day + timedelta(days=1), hhmm, name),
        )


# -- a scheduler driven by the clock ---------------------------------------------------------


class Poster:
    """Plays the bot's part: posts whatever the plan says is due, as the cog does."""

    def __init__(self, daily: DailyService, clock: FakeClock) -> None:
        self.daily, self.clock = daily, clock
        self.posts: list[tuple[int, date, datetime]] = []  # guild, day, when
        self.next_message = 1

    async def tick(self) -> list[date]:
        plan = await self.daily.plan()
        posted = []
        for slot in plan.due:
            claim = await self.daily.claim(slot.guild_id, slot.day)
            if claim is None:
                continue
            self.next_message += 1
            await self.daily.mark_posted(claim.challenge.id, 5, self.next_message, None)
            self.posts.append((slot.guild_id, slot.day, self.clock()))
            posted.append(slot.day)
        return posted


async def configure(servers: ServerSettingsService, guilds: dict[int, tuple[str, str]]) -> None:
    for guild_id, (name, hhmm) in guilds.items():
        await servers.update(guild_id, daily_channel_id=5, time_zone=name, daily_time=hhmm)


def service(db: Database, course: Curriculum, clock: FakeClock) -> DailyService:
    """A fresh service, as after a restart: nothing is remembered but the database."""
    return DailyService(db, course, clock, ServerSettingsService(db, clock))


async def test_ten_days_across_clock_changes_post_once_per_local_date_on_time(
    db: Database, course: Curriculum
) -> None:
    start = utc(2026, 3, 25, 0, 0)  # Berlin and Lord Howe change clocks meanwhile
    clock = FakeClock(start)
    guilds = {100 + i: spec for i, spec in enumerate(ZONES)}
    daily = service(db, course, clock)
    await configure(daily.servers, guilds)
    poster = Poster(daily, clock)
    step = timedelta(minutes=7)
    end = utc(2026, 4, 5, 0, 0)
    while clock.now < end:
        await poster.tick()
        clock.now += step
    seen: dict[tuple[int, date], datetime] = {}
    for guild_id, day, when in poster.posts:
        assert (guild_id, day) not in seen, f"posted twice: {guild_id} {day}"
        seen[(guild_id, day)] = when
        name, hhmm = guilds[guild_id]
        due = slot_at(day, hhmm, name)
        assert due <= when  # never early
        if when == start:  # the first tick catches up slots that came less than a window ago
            assert when - due < MISSED_WINDOW
        else:
            assert when < due + step  # never more than one tick late
    for guild_id in guilds:
        first, last = date(2026, 3, 26), date(2026, 4, 3)
        days = {d for g, d in seen if g == guild_id}
        assert {first + timedelta(days=i) for i in range((last - first).days + 1)} <= days


async def test_a_restart_mid_day_does_not_post_again(db: Database, course: Curriculum) -> None:
    clock = FakeClock(utc(2026, 3, 2, 8, 59))
    daily = service(db, course, clock)
    await configure(daily.servers, {7: ("UTC", "09:00")})
    poster = Poster(daily, clock)
    assert await poster.tick() == []
    clock.now = utc(2026, 3, 2, 9, 0)
    assert await poster.tick() == [date(2026, 3, 2)]
    clock.now = utc(2026, 3, 2, 13, 0)
    restarted = Poster(service(db, course, clock), clock)  # the bot restarts mid-day
    assert await restarted.tick() == []
    assert (await restarted.daily.plan()).due == []
    clock.now = utc(2026, 3, 3, 9, 0, 30)
    assert await restarted.tick() == [date(2026, 3, 3)]


async def test_downtime_over_a_slot_catches_up_within_the_window_and_reports_older_slots(
    db: Database, course: Curriculum
) -> None:
    clock = FakeClock(utc(2026, 3, 2, 8, 0))
    daily = service(db, course, clock)
    await configure(daily.servers, {7: ("Asia/Kolkata", "10:00"), 8: ("UTC", "03:00")})
    # Down over Kolkata's 10:00 (04:30 UTC, 3.5 h ago) and UTC's 03:00 (5 h ago).
    plan = await daily.plan()
    assert {(s.guild_id, s.day) for s in plan.due} == {(7, date(2026, 3, 2)), (8, date(2026, 3, 2))}
    assert plan.missed == []
    assert timedelta(hours=6) == MISSED_WINDOW
    clock.now = utc(2026, 3, 2, 10, 29)  # Kolkata's slot is a minute short of 6 h; UTC's 7.5 h
    plan = await daily.plan()
    assert [s.guild_id for s in plan.due] == [7]
    assert [s.guild_id for s in plan.missed] == [8]
    clock.now = utc(2026, 3, 2, 11, 0)
    plan = await daily.plan()
    assert plan.due == []
    assert {(s.guild_id, s.day) for s in plan.missed} == {
        (7, date(2026, 3, 2)),
        (8, date(2026, 3, 2)),
    }
    # Back in time for the next slots: those post, once, and the missed day stays unposted.
    clock.now = utc(2026, 3, 3, 4, 31)
    poster = Poster(daily, clock)
    assert await poster.tick() == [date(2026, 3, 3), date(2026, 3, 3)]
    async with db.read() as session:
        days = set(await session.scalars(select(DailyChallenge.day)))
    assert date(2026, 3, 2) not in days


async def test_two_posters_racing_for_one_slot_post_it_once_and_a_lost_claim_is_recovered(
    db: Database, course: Curriculum
) -> None:
    clock = FakeClock(utc(2026, 3, 2, 9, 0, 5))
    first, second = service(db, course, clock), service(db, course, clock)
    await configure(first.servers, {7: ("UTC", "09:00")})
    day = date(2026, 3, 2)
    claim = await first.claim(7, day)
    assert claim is not None and not claim.recovering
    assert await second.claim(7, day) is None  # being posted by the first
    assert (await second.plan()).due == []  # and the plan knows it
    # The first process dies between sending and confirming. After the lease, the slot is
    # due again and its claim says the post may exist (so the bot looks for it first).
    clock.now += CLAIM_LEASE + timedelta(seconds=1)
    assert [s.guild_id for s in (await second.plan()).due] == [7]
    again = await second.claim(7, day)
    assert again is not None and again.recovering and again.challenge.id == claim.challenge.id
    await second.mark_posted(again.challenge.id, 5, 42, None)
    assert await first.claim(7, day) is None
    # A refused post hands its claim back at once.
    clock.now = utc(2026, 3, 3, 9, 0, 1)
    refused = await first.claim(7, date(2026, 3, 3))
    assert refused is not None
    await first.release(refused.challenge.id)
    retried = await second.claim(7, date(2026, 3, 3))
    assert retried is not None and not retried.recovering


async def test_hundreds_of_servers_are_planned_with_a_fixed_number_of_queries(
    db: Database, course: Curriculum
) -> None:
    rng = random.Random(5)
    names = ["UTC", "Europe/Berlin", "America/Chicago", "Asia/Tokyo", "Australia/Adelaide"]
    guilds = {
        1000 + i: (rng.choice(names), f"{rng.randrange(24):02d}:{rng.choice(['00', '30'])}")
        for i in range(300)
    }
    clock = FakeClock(utc(2026, 3, 2, 0, 0))
    daily = service(db, course, clock)
    await configure(daily.servers, guilds)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.read_engine.sync_engine, "before_cursor_execute", count)
    try:
        plan = await daily.plan()
    finally:
        event.remove(db.read_engine.sync_engine, "before_cursor_execute", count)
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) <= 2, queries  # the servers, then their recent challenges
    assert plan.wake_at is not None and plan.wake_at > clock.now
    poster = Poster(daily, clock)
    while clock.now < utc(2026, 3, 3, 0, 0):
        await poster.tick()
        clock.now += timedelta(minutes=10)
    per_guild: dict[int, int] = {}
    for guild_id, _, _ in poster.posts:
        per_guild[guild_id] = per_guild.get(guild_id, 0) + 1
    assert set(per_guild) == set(guilds) and set(per_guild.values()) <= {1, 2}


async def test_a_missed_slot_is_reported_not_dropped_silently(
    db: Database, course: Curriculum
) -> None:
    clock = FakeClock(utc(2026, 3, 2, 20, 0))
    daily = service(db, course, clock)
    await configure(daily.servers, {7: ("UTC", "09:00")})
    plan = await daily.plan()
    assert [(s.guild_id, s.day) for s in plan.missed] == [(7, date(2026, 3, 2))]
    assert plan.wake_at == utc(2026, 3, 3, 9, 0)


# -- choosing the problem --------------------------------------------------------------------


@pytest.fixture(scope="module")
def course_with_templates(tmp_path_factory: pytest.TempPathFactory) -> Curriculum:
    from tests.bot.journeys.conftest import write_course

    root = Path(tmp_path_factory.mktemp("daily-course"))
    return load_curriculum(write_course(root))


def test_sixty_days_without_a_repeat_while_the_course_allows_templates_first(
    course_with_templates: Curriculum,
) -> None:
    course = course_with_templates
    rng = random.Random(1)
    first = pick_daily(course, Difficulty.BEGINNER, [], rng)
    assert first.is_template  # the one beginner template comes first
    used = [first.id]
    for _ in range(len(course.problems) - 1):
        problem = pick_daily(course, Difficulty.BEGINNER, used, rng)
        assert problem.id not in used  # the course still has unused problems
        used.insert(0, problem.id)
    # Every problem used: the repeat is a template (a new variant), then the one used
    # longest ago.
    assert pick_daily(course, Difficulty.BEGINNER, used, rng).is_template
    fixed = [p for p in course.problems.values() if not p.is_template]
    assert fixed
    levels = [p.difficulty for p in course.problems.values()]
    assert Difficulty.ADVANCED in levels


async def test_the_service_never_repeats_within_sixty_days(
    db: Database, course: Curriculum
) -> None:
    """The service course has 20 problems: 20 days without a repeat, then the oldest."""
    clock = FakeClock(utc(2026, 1, 1, 12, 0))
    daily = service(db, course, clock)
    await daily.servers.update(7, daily_difficulty="beginner")
    chosen = []
    for i in range(NO_REPEAT_DAYS):
        challenge = await daily.challenge_for(7, date(2026, 1, 1) + timedelta(days=i))
        chosen.append(challenge.problem_id)
    size = len(course.problems)
    assert len(set(chosen[:size])) == size  # beginner first, then the nearest difficulties
    beginners = len(course.select(difficulty=Difficulty.BEGINNER))
    assert {course.problems[p].difficulty for p in chosen[:beginners]} == {Difficulty.BEGINNER}
    # Once all are used, each repeat is the one used longest ago.
    assert chosen[size] == chosen[0] and chosen[size + 1] == chosen[1]
    again = await daily.challenge_for(7, date(2026, 1, 1))
    assert again.problem_id == chosen[0]  # one challenge per (server, date)
