"""Daily challenges: one problem per server per day, its schedule, and who may post it.

Each server has one *slot* a day: its posting time on its own calendar (``slot_at``), so a
clock change moves the slot with the server's wall clock, a time that does not exist that day
(a spring-forward gap) posts when the clocks resume, and a time that happens twice posts at
the first. The challenge of a slot is keyed by the slot's local date, unique per server, and
stays current until the next slot.

Posting is a claim in the database (``claim``), then the post, then ``mark_posted``: a second
process, a restart or a repeated tick finds the claim and does not post again; a claim that
was never confirmed (a crash mid-post) is handed back as ``recovering``, so the poster looks
for its own message before sending another. A slot missed while the bot was down is posted
when it comes back if it is less than ``MISSED_WINDOW`` old; an older one is reported as
missed, never dropped without a word.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import DailyChallenge, Guild
from curriculum import Curriculum, Difficulty, Problem

from .clock import Clock, local_day, utc_now, zone
from .server_settings import ServerSettingsService
from .users import ensure_guild, insert_ignore

NO_REPEAT_DAYS = 60
MISSED_WINDOW = timedelta(hours=6)  # a slot older than this when the bot comes back is missed
CLAIM_LEASE = timedelta(minutes=2)  # a claim not confirmed within this may be taken over
ROTATION = (
    Difficulty.BEGINNER,
    Difficulty.BEGINNER,
    Difficulty.INTERMEDIATE,
    Difficulty.INTERMEDIATE,
    Difficulty.INTERMEDIATE,
    Difficulty.ADVANCED,
    Difficulty.BEGINNER,
)  # Monday..Sunday when the server sets no difficulty


# -- the calendar ----------------------------------------------------------------------------


def slot_at(day: date, daily_time: str, time_zone: str) -> datetime:
    """The UTC instant of ``day``'s slot at ``daily_time`` (HH:MM) on the server's clock."""
    hour, _, minute = daily_time.partition(":")
    # fold=0: an ambiguous time is its first occurrence; a skipped one is read with the offset
    # before the gap, which lands just after it (02:30 in a 02:00→03:00 jump posts at 03:30).
    local = datetime.combine(day, time(int(hour), int(minute or 0)), tzinfo=zone(time_zone))
    return local.astimezone(UTC)


def latest_slot(now: datetime, daily_time: str, time_zone: str) -> tuple[date, datetime]:
    """The most recent slot at or before ``now``: (its local date, its UTC instant)."""
    day = now.astimezone(zone(time_zone)).date()
    for candidate in (day + timedelta(days=1), day, day - timedelta(days=1)):
        at = slot_at(candidate, daily_time, time_zone)
        if at <= now:
            return candidate, at
    day -= timedelta(days=2)  # unreachable for real zones; kept total for odd ones
    return day, slot_at(day, daily_time, time_zone)


def next_slot(now: datetime, daily_time: str, time_zone: str) -> tuple[date, datetime]:
    """The first slot strictly after ``now``."""
    day, _ = latest_slot(now, daily_time, time_zone)
    following = day + timedelta(days=1)
    at = slot_at(following, daily_time, time_zone)
    while at <= now:  # a gap pushed the latest slot's successor back onto ``now``
        following += timedelta(days=1)
        at = slot_at(following, daily_time, time_zone)
    return following, at


@dataclass(frozen=True)
class Slot:
    guild_id: int
    day: date  # the server's local date
    at: datetime  # UTC


@dataclass(frozen=True)
class Plan:
    due: list[Slot]  # to post now
    missed: list[Slot]  # too old to post: the bot was away for longer than the window
    wake_at: datetime | None  # the next slot of any scheduled server


@dataclass(frozen=True)
class Claim:
    challenge: DailyChallenge
    recovering: bool  # an earlier claim was never confirmed: the post may exist already


class DailyService:
    def __init__(
        self,
        db: Database,
        curriculum: Curriculum,
        clock: Clock = utc_now,
        servers: ServerSettingsService | None = None,
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.clock = clock
        self.servers = servers or ServerSettingsService(db, clock)

    # -- the current challenge ------------------------------------------------------------

    async def current_day(self, guild_id: int) -> date:
        """The day of the challenge in force: the latest slot's, or today's when a manager
        posted it before its slot."""
        settings = await self.servers.get(guild_id)
        now = self.clock()
        day = latest_slot(now, settings.daily_time, settings.time_zone)[0]
        today = local_day(now, settings.time_zone)
        if day < today and await self._posted(guild_id, today):
            return today
        return day

    async def early_day(self, guild_id: int) -> date:
        """The day a manager's "post it now" posts: the server's today, even before today's
        slot (which then finds it posted and posts nothing)."""
        settings = await self.servers.get(guild_id)
        return local_day(self.clock(), settings.time_zone)

    async def _posted(self, guild_id: int, day: date) -> bool:
        async with self.db.read() as session:
            found = await session.scalar(
                select(DailyChallenge.id).where(
                    DailyChallenge.guild_id == guild_id,
                    DailyChallenge.day == day,
                    DailyChallenge.message_id.is_not(None),
                )
            )
        return found is not None

    async def current(self, guild_id: int) -> DailyChallenge:
        """The challenge of the server's latest slot, created on first request."""
        return await self.challenge_for(guild_id, await self.current_day(guild_id))

    async def today(self, guild_id: int) -> DailyChallenge:
        return await self.current(guild_id)

    async def challenge_for(self, guild_id: int, day: date) -> DailyChallenge:
        async with self.db.write() as session:
            return await self._get_or_create(session, guild_id, day, self.clock())

    async def matching(self, guild_id: int, problem_id: str, seed: int) -> DailyChallenge | None:
        """The server's current or previous challenge, if it is this very variant (so a solve
        counts for it)."""
        day = await self.current_day(guild_id)
        async with self.db.read() as session:
            return await session.scalar(
                select(DailyChallenge)
                .where(
                    DailyChallenge.guild_id == guild_id,
                    DailyChallenge.problem_id == problem_id,
                    DailyChallenge.variant_seed == seed,
                    DailyChallenge.day >= day - timedelta(days=1),
                )
                .order_by(DailyChallenge.day.desc())
                .limit(1)
            )

    async def posted_in(self, guild_id: int, channel_id: int) -> DailyChallenge | None:
        """The newest challenge whose post or discussion thread is this channel."""
        async with self.db.read() as session:
            return await session.scalar(
                select(DailyChallenge)
                .where(
                    DailyChallenge.guild_id == guild_id,
                    (DailyChallenge.channel_id == channel_id)
                    | (DailyChallenge.thread_id == channel_id),
                )
                .order_by(DailyChallenge.day.desc())
                .limit(1)
            )

    async def previous(self, guild_id: int, day: date) -> DailyChallenge | None:
        """The last challenge posted before ``day`` (whose results a new post shows)."""
        async with self.db.read() as session:
            return await session.scalar(
                select(DailyChallenge)
                .where(
                    DailyChallenge.guild_id == guild_id,
                    DailyChallenge.day < day,
                    DailyChallenge.message_id.is_not(None),
                )
                .order_by(DailyChallenge.day.desc())
                .limit(1)
            )

    async def next_post_at(self, guild_id: int) -> datetime:
        settings = await self.servers.get(guild_id)
        return next_slot(self.clock(), settings.daily_time, settings.time_zone)[1]

    # -- the schedule ---------------------------------------------------------------------

    async def plan(self) -> Plan:
        """Which servers' slots are due now: two queries, however many servers there are."""
        now = self.clock()
        scheduled = [s for s in await self.servers.scheduled() if s.daily_scheduled]
        slots = [Slot(s.guild_id, *latest_slot(now, s.daily_time, s.time_zone)) for s in scheduled]
        wake = min((next_slot(now, s.daily_time, s.time_zone)[1] for s in scheduled), default=None)
        if not slots:
            return Plan([], [], wake)
        oldest = min(slot.day for slot in slots)
        async with self.db.read() as session:
            rows = (
                await session.execute(
                    select(
                        DailyChallenge.guild_id,
                        DailyChallenge.day,
                        DailyChallenge.message_id,
                        DailyChallenge.claimed_at,
                    ).where(
                        DailyChallenge.guild_id.in_([s.guild_id for s in slots]),
                        DailyChallenge.day >= oldest,
                    )
                )
            ).all()
        state = {(g, d): (message, claimed) for g, d, message, claimed in rows}
        due, missed = [], []
        for slot in slots:
            message, claimed = state.get((slot.guild_id, slot.day), (None, None))
            if message is not None:
                continue  # posted
            if claimed is not None and now - claimed < CLAIM_LEASE:
                continue  # someone is posting it right now
            (due if now - slot.at < MISSED_WINDOW else missed).append(slot)
        return Plan(due, missed, wake)

    async def claim(self, guild_id: int, day: date) -> Claim | None:
        """The right to post ``day``'s challenge, or None when it is posted or being posted."""
        async with self.db.write() as session:
            now = self.clock()
            challenge = await self._get_or_create(session, guild_id, day, now, lock=True)
            if challenge.message_id is not None:
                return None
            if challenge.claimed_at is not None and now - challenge.claimed_at < CLAIM_LEASE:
                return None
            recovering = challenge.claimed_at is not None
            challenge.claimed_at = now
            return Claim(challenge, recovering)

    async def release(self, challenge_id: int) -> None:
        """The post failed for certain: the next tick may try again."""
        async with self.db.write() as session:
            challenge = await session.get(DailyChallenge, challenge_id)
            if challenge is not None and challenge.message_id is None:
                challenge.claimed_at = None

    async def mark_posted(
        self, challenge_id: int, channel_id: int, message_id: int, thread_id: int | None
    ) -> None:
        async with self.db.write() as session:
            challenge = await session.get(DailyChallenge, challenge_id)
            if challenge is not None:
                challenge.channel_id, challenge.message_id = channel_id, message_id
                challenge.thread_id = thread_id
                challenge.posted_at = self.clock()

    # -- choosing the problem -------------------------------------------------------------

    async def _get_or_create(
        self,
        session: AsyncSession,
        guild_id: int,
        day: date,
        now: datetime,
        *,
        lock: bool = False,
    ) -> DailyChallenge:
        query = select(DailyChallenge).where(
            DailyChallenge.guild_id == guild_id, DailyChallenge.day == day
        )
        if lock:
            query = query.with_for_update()
        existing = await session.scalar(query.execution_options(populate_existing=True))
        if existing is not None:
            return existing
        guild = await ensure_guild(session, guild_id, now)
        problem, seed = await self._choose(session, guild, day)
        # Two processes may get here at once: the choice is deterministic, the first insert
        # wins and the other reads it back.
        await insert_ignore(
            session,
            DailyChallenge,
            guild_id=guild_id,
            day=day,
            problem_id=problem.id,
            variant_seed=seed,
            posted_at=now,
        )
        created = await session.scalar(query.execution_options(populate_existing=True))
        assert created is not None
        return created

    async def _choose(self, session: AsyncSession, guild: Guild, day: date) -> tuple[Problem, int]:
        """Never a problem this server had in the last ``NO_REPEAT_DAYS`` days while the course
        has another (at the day's difficulty, else the nearest); templates first, since each
        day gets a variant of its own. When every problem was used, the one used longest ago."""
        used = list(
            await session.scalars(
                select(DailyChallenge.problem_id)
                .where(
                    DailyChallenge.guild_id == guild.id,
                    DailyChallenge.day >= day - timedelta(days=NO_REPEAT_DAYS),
                    DailyChallenge.day != day,
                )
                .order_by(DailyChallenge.day.desc())
            )
        )
        level = (
            Difficulty(guild.daily_difficulty)
            if guild.daily_difficulty
            else ROTATION[day.weekday()]
        )
        rng = random.Random(f"{guild.id}:{day.isoformat()}")
        problem = pick_daily(self.curriculum, level, used, rng)
        # Templates get a fresh variant per day, so a repeat never shows the same numbers.
        seed = rng.randrange(1, 2**31) if problem.is_template else 0
        return problem, seed


def pick_daily(
    curriculum: Curriculum, level: Difficulty, used: list[str], rng: random.Random
) -> Problem:
    """The rule of ``DailyService._choose``; ``used`` is most recent first."""
    recent = set(used)
    by_distance = sorted(Difficulty, key=lambda d: (abs(d.rank - level.rank), -d.rank))
    for difficulty in by_distance:
        fresh = [p for p in curriculum.select(difficulty=difficulty) if p.id not in recent]
        if fresh:
            templates = [p for p in fresh if p.is_template]
            return rng.choice(templates or fresh)
    candidates = curriculum.select(difficulty=level) or list(curriculum.problems.values())
    if not candidates:
        raise LookupError("the curriculum has no problem for a daily challenge")
    age: dict[str, int] = {}  # higher: last used longer ago
    for index, pid in enumerate(used):
        age.setdefault(pid, index)
    return max(candidates, key=lambda p: (p.is_template, age.get(p.id, len(used)), p.id))
