"""Daily challenges: one problem per server per day, chosen without recent repeats."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from bot.db import Database
from bot.db.models import DailyChallenge, Guild
from curriculum import Curriculum, Difficulty, pick_problem

from .clock import Clock, local_day, utc_now, zone
from .users import ensure_guild

NO_REPEAT_DAYS = 60
ROTATION = (Difficulty.BEGINNER, Difficulty.BEGINNER, Difficulty.INTERMEDIATE,
            Difficulty.INTERMEDIATE, Difficulty.INTERMEDIATE, Difficulty.ADVANCED,
            Difficulty.BEGINNER)  # Monday..Sunday when the server sets no difficulty


class DailyService:
    def __init__(self, db: Database, curriculum: Curriculum, clock: Clock = utc_now) -> None:
        self.db = db
        self.curriculum = curriculum
        self.clock = clock

    async def today(self, guild_id: int) -> DailyChallenge:
        """Today's challenge in the server's time zone, created on first request."""
        async with self.db.write() as session:
            now = self.clock()
            guild = await ensure_guild(session, guild_id, now)
            day = local_day(now, guild.time_zone)
            existing = await session.scalar(select(DailyChallenge).where(
                DailyChallenge.guild_id == guild_id, DailyChallenge.day == day))
            if existing is not None:
                return existing
            recent = list(await session.scalars(
                select(DailyChallenge.problem_id).where(
                    DailyChallenge.guild_id == guild_id,
                    DailyChallenge.day >= day - timedelta(days=NO_REPEAT_DAYS))
                .order_by(DailyChallenge.day.desc())))
            level = (Difficulty(guild.daily_difficulty) if guild.daily_difficulty
                     else ROTATION[day.weekday()])
            rng = random.Random(f"{guild_id}:{day.isoformat()}")
            problem = pick_problem(self.curriculum, difficulty=level, recent=recent, rng=rng)
            if problem is None:
                raise LookupError("the curriculum has no problem for a daily challenge")
            # Templates get a fresh variant per day, so a repeat never shows the same numbers.
            seed = rng.randrange(1, 2**31) if problem.is_template else 0
            challenge = DailyChallenge(guild_id=guild_id, day=day, problem_id=problem.id,
                                       variant_seed=seed, posted_at=now)
            session.add(challenge)
            await session.flush()
            return challenge

    async def matching(self, guild_id: int, problem_id: str) -> DailyChallenge | None:
        """The server's current daily challenge, if it is this problem (so a solve counts)."""
        day = local_day(self.clock(), "UTC")
        async with self.db.read() as session:
            return await session.scalar(select(DailyChallenge).where(
                DailyChallenge.guild_id == guild_id, DailyChallenge.problem_id == problem_id,
                DailyChallenge.day >= day - timedelta(days=1)
            ).order_by(DailyChallenge.day.desc()).limit(1))

    async def mark_posted(self, challenge_id: int, channel_id: int, message_id: int,
                          thread_id: int | None) -> None:
        async with self.db.write() as session:
            challenge = await session.get(DailyChallenge, challenge_id)
            if challenge is not None:
                challenge.channel_id, challenge.message_id = channel_id, message_id
                challenge.thread_id = thread_id

    async def due_guilds(self) -> list[int]:
        """Servers with a daily channel whose local posting time has come and no post today."""
        now = self.clock()
        async with self.db.read() as session:
            guilds = list(await session.scalars(select(Guild).where(
                Guild.daily_channel_id.is_not(None))))
            posted = set(await session.scalars(select(DailyChallenge.guild_id).where(
                DailyChallenge.day >= (now - timedelta(days=1)).date(),
                DailyChallenge.message_id.is_not(None))))
        due = []
        for guild in guilds:
            local = now.astimezone(zone(guild.time_zone))
            hour, _, minute = guild.daily_time.partition(":")
            at = datetime.combine(local.date(), time(int(hour), int(minute or 0)),
                                  tzinfo=local.tzinfo)
            if local >= at and not await self._posted(guild.id, local.date(), posted):
                due.append(guild.id)
        return due

    async def _posted(self, guild_id: int, day: date, maybe: set[int]) -> bool:
        if guild_id not in maybe:
            return False
        async with self.db.read() as session:
            return await session.scalar(select(DailyChallenge.id).where(
                DailyChallenge.guild_id == guild_id, DailyChallenge.day == day,
                DailyChallenge.message_id.is_not(None))) is not None

    async def next_post_at(self, guild_id: int) -> datetime:
        async with self.db.read() as session:
            guild = await session.get(Guild, guild_id)
        tz = zone(guild.time_zone if guild else "UTC")
        hour, _, minute = (guild.daily_time if guild else "09:00").partition(":")
        local = self.clock().astimezone(tz)
        at = datetime.combine(local.date(), time(int(hour), int(minute or 0)), tzinfo=tz)
        return at if at > local else at + timedelta(days=1)
