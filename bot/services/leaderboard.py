"""Per-server boards: all time, this week, and today's daily challenge in solving order.

A learner's XP counts on a server's board when it was earned in that server, or everywhere if
they opted in to that server's boards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from bot.db import Database
from bot.db.models import DailyChallenge, DailyCompletion, Guild, LeaderboardOptIn, XpEntry

from .clock import Clock, utc_now, zone


@dataclass(frozen=True)
class BoardEntry:
    rank: int
    user_id: int
    xp: int
    solves: int


@dataclass(frozen=True)
class DailyEntry:
    rank: int
    user_id: int
    attempts: int
    solved_at: datetime


class LeaderboardService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def all_time(self, guild_id: int, limit: int = 10) -> list[BoardEntry]:
        return await self._board(guild_id, None, limit)

    async def this_week(self, guild_id: int, limit: int = 10) -> list[BoardEntry]:
        async with self.db.read() as session:
            guild = await session.get(Guild, guild_id)
        tz = zone(guild.time_zone if guild else "UTC")
        local_now = self.clock().astimezone(tz)
        monday = local_now.date() - timedelta(days=local_now.weekday())
        since = datetime.combine(monday, time(0), tzinfo=tz)
        return await self._board(guild_id, since, limit)

    async def _board(self, guild_id: int, since: datetime | None, limit: int
                     ) -> list[BoardEntry]:
        opted_in = select(LeaderboardOptIn.user_id).where(LeaderboardOptIn.guild_id == guild_id)
        query = (
            select(XpEntry.user_id, func.sum(XpEntry.amount).label("xp"),
                   func.count(XpEntry.id).label("solves"))
            .where(or_(XpEntry.guild_id == guild_id, XpEntry.user_id.in_(opted_in)))
            .group_by(XpEntry.user_id)
            .order_by(func.sum(XpEntry.amount).desc(), func.min(XpEntry.created_at),
                      XpEntry.user_id)
            .limit(limit)
        )
        if since is not None:
            query = query.where(XpEntry.created_at >= since)
        async with self.db.read() as session:
            rows = (await session.execute(query)).all()
        return [BoardEntry(i, user_id, int(xp), int(solves))
                for i, (user_id, xp, solves) in enumerate(rows, 1)]

    async def daily(self, guild_id: int, day: date, limit: int = 25) -> list[DailyEntry]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(DailyCompletion.rank, DailyCompletion.user_id, DailyCompletion.attempts,
                       DailyCompletion.solved_at)
                .join(DailyChallenge, DailyChallenge.id == DailyCompletion.challenge_id)
                .where(DailyChallenge.guild_id == guild_id, DailyChallenge.day == day)
                .order_by(DailyCompletion.rank).limit(limit))
            return [DailyEntry(*row) for row in rows]
