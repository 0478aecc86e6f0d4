"""What the tutor may spend: a learner's hearts, a server's day, the bot's daily tokens.

Hearts are a nudge to think first as much as a cost control: each AI answer spends one, and
one comes back every few minutes up to the full count. Operator limits come from the usage
records, so they hold across restarts and several bot processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import AiHearts, AiUsage, Guild
from bot.services.clock import Clock, utc_now
from bot.services.users import insert_ignore, lock_user

from .config import TutorSettings


@dataclass(frozen=True)
class Hearts:
    left: int
    capacity: int
    next_in: timedelta | None  # until the next heart comes back; None when full

    def describe(self) -> str:
        text = f"❤️ {self.left}/{self.capacity} tutor hearts"
        if self.next_in is not None:
            text += f" · next in {_minutes(self.next_in)}"
        return text


def _minutes(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    return f"{minutes} min"


class OutOfHearts(Exception):
    def __init__(self, hearts: Hearts) -> None:
        super().__init__("no hearts left")
        self.hearts = hearts


def day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


class Budget:
    def __init__(self, db: Database, settings: TutorSettings, clock: Clock = utc_now) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    @property
    def _interval(self) -> timedelta:
        return timedelta(minutes=self.settings.heart_minutes)

    def _regrown(self, row: AiHearts | None, now: datetime) -> tuple[int, datetime]:
        capacity = self.settings.hearts
        if row is None:
            return capacity, now
        grown = int((now - row.refill_from) / self._interval) if now > row.refill_from else 0
        hearts = min(capacity, row.hearts + grown)
        refill_from = now if hearts >= capacity else row.refill_from + grown * self._interval
        return hearts, refill_from

    def _view(self, hearts: int, refill_from: datetime, now: datetime) -> Hearts:
        capacity = self.settings.hearts
        next_in = None if hearts >= capacity else refill_from + self._interval - now
        return Hearts(hearts, capacity, next_in)

    async def hearts(self, user_id: int) -> Hearts:
        now = self.clock()
        async with self.db.read() as session:
            row = await session.get(AiHearts, user_id)
        return self._view(*self._regrown(row, now), now)

    async def spend(self, user_id: int) -> Hearts:
        """One heart, or OutOfHearts telling when the next comes back."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            await insert_ignore(
                session, AiHearts, user_id=user_id, hearts=self.settings.hearts, refill_from=now
            )
            row = await session.get(AiHearts, user_id, populate_existing=True)
            assert row is not None
            hearts, refill_from = self._regrown(row, now)
            if hearts < 1:
                raise OutOfHearts(self._view(hearts, refill_from, now))  # nothing to write
            if hearts >= self.settings.hearts:
                refill_from = now  # the clock for the next heart starts at this spend
            row.hearts, row.refill_from = hearts - 1, refill_from
            return self._view(hearts - 1, refill_from, now)

    async def refund(self, user_id: int) -> Hearts:
        """Give back a heart spent on an answer that never reached the learner."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            row = await session.get(AiHearts, user_id, populate_existing=True)
            if row is None:
                return self._view(self.settings.hearts, now, now)
            hearts, refill_from = self._regrown(row, now)
            row.hearts = min(self.settings.hearts, hearts + 1)
            row.refill_from = now if row.hearts >= self.settings.hearts else refill_from
            return self._view(row.hearts, row.refill_from, now)

    async def operator_limit(self, guild_id: int | None, *, generation: bool = False) -> str | None:
        """ "server_off" when the server switched the tutor off in /settings, "daily_tokens" or
        "server_cap" when the operator's or the server's limits are reached, else None."""
        since = day_start(self.clock())
        async with self.db.read() as session:
            guild = None if guild_id is None else await session.get(Guild, guild_id)
            if guild is not None and not guild.ai_enabled:
                return "server_off"
            tokens = (
                await session.scalar(
                    select(
                        func.coalesce(func.sum(AiUsage.prompt_tokens + AiUsage.output_tokens), 0)
                    ).where(AiUsage.created_at >= since)
                )
                or 0
            )
            if tokens >= self.settings.daily_tokens:
                return "daily_tokens"
            if generation:
                generated = (
                    await session.scalar(
                        select(
                            func.coalesce(
                                func.sum(AiUsage.prompt_tokens + AiUsage.output_tokens), 0
                            )
                        ).where(AiUsage.created_at >= since, AiUsage.feature == "variant")
                    )
                    or 0
                )
                if generated >= self.settings.generation_share * self.settings.daily_tokens:
                    return "daily_tokens"
            if guild_id is not None:
                requests = (
                    await session.scalar(
                        select(func.count())
                        .select_from(AiUsage)
                        .where(AiUsage.guild_id == guild_id, AiUsage.created_at >= since)
                    )
                    or 0
                )
                cap = self.settings.server_daily_requests
                if guild is not None and guild.ai_daily_requests is not None:
                    cap = guild.ai_daily_requests  # the server's own choice; tokens still cap all
                if requests >= cap:
                    return "server_cap"
        return None
