"""Per-server boards: all time, this week, today, and a daily challenge in solving order.

A learner's XP counts on a server's board when it was earned in that server, or everywhere if
they opted in to that server's boards; a learner who asked to be hidden is on none of its
boards. Equal XP is a tie: the same rank for each (1, 2, 2, 4), listed in the order they
reached it. Whole rankings are cached for a few seconds, so paging through a board in a busy
channel reads the database once.
"""

from __future__ import annotations

import time as monotonic_time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from bot.db import Database
from bot.db.models import (
    DailyChallenge,
    DailyCompletion,
    Guild,
    LeaderboardHidden,
    LeaderboardOptIn,
    XpEntry,
)

from .clock import Clock, utc_now, zone
from .users import ensure_guild, lock_user

PERIODS = ("all", "week", "today")
PAGE_SIZE = 10
CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class BoardEntry:
    rank: int
    user_id: int
    xp: int
    solves: int
    tied: bool = False  # someone else has the same XP (and so the same rank)


@dataclass(frozen=True)
class DailyEntry:
    rank: int  # solving order in the server
    user_id: int
    attempts: int
    solved_at: datetime
    seconds: float  # from the challenge's post to the solve


@dataclass(frozen=True)
class Ranking:
    """A whole board, in order (what the cache holds)."""

    period: str  # all | week | today | daily
    entries: tuple[BoardEntry | DailyEntry, ...]
    since: datetime | None = None  # the period's start

    def position(self, user_id: int) -> int | None:
        """0-based place in ``entries``."""
        for index, entry in enumerate(self.entries):
            if entry.user_id == user_id:
                return index
        return None


@dataclass(frozen=True)
class BoardPage:
    period: str
    entries: list[BoardEntry | DailyEntry]
    page: int  # 1-based, within 1..pages
    pages: int
    total: int  # learners on the whole board
    viewer: BoardEntry | DailyEntry | None  # the viewer's own line, on this page or not
    viewer_hidden: bool
    since: datetime | None = None


def ranked(rows: list[tuple[int, int, int]]) -> tuple[BoardEntry, ...]:
    """(user, xp, solves) rows, best first, with competition ranks: ties share a rank."""
    counts: dict[int, int] = {}
    for _, xp, _ in rows:
        counts[xp] = counts.get(xp, 0) + 1
    entries, rank = [], 0
    for index, (user_id, xp, solves) in enumerate(rows):
        if index == 0 or xp != rows[index - 1][1]:
            rank = index + 1
        entries.append(BoardEntry(rank, user_id, xp, solves, tied=counts[xp] > 1))
    return tuple(entries)


class LeaderboardService:
    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = monotonic_time.monotonic,
    ) -> None:
        self.db = db
        self.clock = clock
        self.monotonic = monotonic
        self._cache: dict[tuple[int, str, object], tuple[float, Ranking]] = {}

    # -- whole rankings -----------------------------------------------------------------------

    async def ranking(self, guild_id: int, period: str) -> Ranking:
        """The board for ``period`` (all | week | today), from the cache when fresh."""
        if period not in PERIODS:
            raise ValueError(f"unknown period {period!r}")
        since = await self.period_start(guild_id, period)
        return await self._cached(
            (guild_id, period, since), lambda: self._xp_ranking(guild_id, period, since)
        )

    async def daily_ranking(self, guild_id: int, challenge_id: int) -> Ranking:
        """One daily challenge's solvers, first solver first."""
        return await self._cached(
            (guild_id, "daily", challenge_id), lambda: self._daily_ranking(guild_id, challenge_id)
        )

    async def page(
        self, ranking: Ranking, guild_id: int, page: int, viewer_id: int, per_page: int = PAGE_SIZE
    ) -> BoardPage:
        """One page of ``ranking`` as ``viewer_id`` sees it (a page past the end: the last)."""
        entries = ranking.entries
        pages = max(1, -(-len(entries) // per_page))
        page = min(max(1, page), pages)
        position = ranking.position(viewer_id)
        return BoardPage(
            period=ranking.period,
            entries=list(entries[(page - 1) * per_page : page * per_page]),
            page=page,
            pages=pages,
            total=len(entries),
            viewer=entries[position] if position is not None else None,
            viewer_hidden=position is None and await self.is_hidden(guild_id, viewer_id),
            since=ranking.since,
        )

    @staticmethod
    def page_of(ranking: Ranking, user_id: int, per_page: int = PAGE_SIZE) -> int | None:
        position = ranking.position(user_id)
        return None if position is None else position // per_page + 1

    # -- compatibility helpers: the first places only ------------------------------------------

    async def all_time(self, guild_id: int, limit: int = 10) -> list[BoardEntry]:
        return [e for e in (await self.ranking(guild_id, "all")).entries[:limit]]  # type: ignore[misc]

    async def this_week(self, guild_id: int, limit: int = 10) -> list[BoardEntry]:
        return [e for e in (await self.ranking(guild_id, "week")).entries[:limit]]  # type: ignore[misc]

    async def daily(self, guild_id: int, day: date, limit: int = 25) -> list[DailyEntry]:
        async with self.db.read() as session:
            challenge_id = await session.scalar(
                select(DailyChallenge.id).where(
                    DailyChallenge.guild_id == guild_id, DailyChallenge.day == day
                )
            )
        if challenge_id is None:
            return []
        ranking = await self.daily_ranking(guild_id, challenge_id)
        return [e for e in ranking.entries[:limit]]  # type: ignore[misc]

    # -- who is listed ------------------------------------------------------------------------

    async def is_hidden(self, guild_id: int, user_id: int) -> bool:
        async with self.db.read() as session:
            return await session.get(LeaderboardHidden, (guild_id, user_id)) is not None

    async def set_listed(
        self, guild_id: int, user_id: int, listed: bool, *, all_solves: bool | None = None
    ) -> None:
        """Hide the learner from this server's boards, or list them again; ``all_solves``
        (when given) counts their solves made anywhere here, not only those made here."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            await ensure_guild(session, guild_id, now)
            hidden = await session.get(LeaderboardHidden, (guild_id, user_id))
            if not listed and hidden is None:
                session.add(LeaderboardHidden(guild_id=guild_id, user_id=user_id, created_at=now))
            elif listed and hidden is not None:
                await session.delete(hidden)
            if all_solves is not None:
                opted = await session.get(LeaderboardOptIn, (guild_id, user_id))
                if all_solves and opted is None:
                    session.add(
                        LeaderboardOptIn(guild_id=guild_id, user_id=user_id, created_at=now)
                    )
                elif not all_solves and opted is not None:
                    await session.delete(opted)
        self.forget(guild_id)

    def forget(self, guild_id: int) -> None:
        """Drop the server's cached boards (after a change to who is listed)."""
        for key in [k for k in self._cache if k[0] == guild_id]:
            del self._cache[key]

    # -- reading ------------------------------------------------------------------------------

    async def period_start(self, guild_id: int, period: str) -> datetime | None:
        """Where ``period`` starts, in the server's time zone (None: all time)."""
        if period == "all":
            return None
        async with self.db.read() as session:
            time_zone = await session.scalar(select(Guild.time_zone).where(Guild.id == guild_id))
        tz = zone(time_zone)
        local_now = self.clock().astimezone(tz)
        day = local_now.date()
        if period == "week":
            day -= timedelta(days=local_now.weekday())
        return datetime.combine(day, time(0), tzinfo=tz)

    async def _cached(self, key: tuple[int, str, object], compute: Callable) -> Ranking:  # type: ignore[type-arg]
        now = self.monotonic()
        found = self._cache.get(key)
        if found is not None and found[0] > now:
            return found[1]
        ranking: Ranking = await compute()
        self._cache[key] = (now + CACHE_SECONDS, ranking)
        if len(self._cache) > 4096:  # many servers: drop what has expired
            for stale in [k for k, (until, _) in self._cache.items() if until <= now]:
                del self._cache[stale]
        return ranking

    async def _xp_ranking(self, guild_id: int, period: str, since: datetime | None) -> Ranking:
        opted_in = select(LeaderboardOptIn.user_id).where(LeaderboardOptIn.guild_id == guild_id)
        hidden = select(LeaderboardHidden.user_id).where(LeaderboardHidden.guild_id == guild_id)
        total = func.sum(XpEntry.amount)
        query = (
            select(XpEntry.user_id, total, func.count(XpEntry.id))
            .where(
                or_(XpEntry.guild_id == guild_id, XpEntry.user_id.in_(opted_in)),
                XpEntry.user_id.not_in(hidden),
            )
            .group_by(XpEntry.user_id)
            # Equal XP: whoever got there first is listed first; the id makes it total.
            .order_by(total.desc(), func.max(XpEntry.created_at), XpEntry.user_id)
        )
        if since is not None:
            query = query.where(XpEntry.created_at >= since)
        async with self.db.read() as session:
            rows = [(u, int(xp), int(n)) for u, xp, n in (await session.execute(query)).all()]
        return Ranking(period, ranked(rows), since)

    async def _daily_ranking(self, guild_id: int, challenge_id: int) -> Ranking:
        hidden = select(LeaderboardHidden.user_id).where(LeaderboardHidden.guild_id == guild_id)
        async with self.db.read() as session:
            posted_at = await session.scalar(
                select(DailyChallenge.posted_at).where(DailyChallenge.id == challenge_id)
            )
            rows = (
                await session.execute(
                    select(
                        DailyCompletion.rank,
                        DailyCompletion.user_id,
                        DailyCompletion.attempts,
                        DailyCompletion.solved_at,
                    )
                    .where(
                        DailyCompletion.challenge_id == challenge_id,
                        DailyCompletion.user_id.not_in(hidden),
                    )
                    .order_by(DailyCompletion.rank, DailyCompletion.user_id)
                )
            ).all()
        entries = tuple(
            DailyEntry(
                rank,
                user_id,
                attempts,
                solved_at,
                max(0.0, (solved_at - posted_at).total_seconds()) if posted_at else 0.0,
            )
            for rank, user_id, attempts, solved_at in rows
        )
        return Ranking("daily", entries, posted_at)
