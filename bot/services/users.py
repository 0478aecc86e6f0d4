"""Learners and servers: rows created on first use, and learners' preferences (server
settings live in ``server_settings``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Guild, User

from .clock import Clock, is_valid_zone, utc_now, zone
from .rewards import streak_at_risk


async def insert_ignore(session: AsyncSession, model: Any, **values: Any) -> None:
    """INSERT that does nothing if the primary key exists (SQLite and PostgreSQL)."""
    dialect = session.bind.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(insert(model).values(**values).on_conflict_do_nothing())


async def lock_user(session: AsyncSession, user_id: int, now: datetime) -> User:
    """The learner's row, created if new, locked for this transaction.

    Every write about a learner goes through here first, so two simultaneous submissions by
    the same learner are applied one after the other (row lock on PostgreSQL; SQLite's
    BEGIN IMMEDIATE already serialises writers).
    """
    query = (
        select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    user = (await session.execute(query)).scalar_one_or_none()
    if user is None:
        await insert_ignore(
            session,
            User,
            id=user_id,
            time_zone="UTC",
            dm_reminders=False,
            xp=0,
            solved_count=0,
            no_hint_solves=0,
            first_try_solves=0,
            streak=0,
            best_streak=0,
            created_at=now,
        )
        user = (await session.execute(query)).scalar_one()
    return user


async def ensure_guild(session: AsyncSession, guild_id: int, now: datetime) -> Guild:
    await insert_ignore(
        session,
        Guild,
        id=guild_id,
        practice_threads=True,
        time_zone="UTC",
        daily_time="09:00",
        created_at=now,
    )
    guild = await session.get(Guild, guild_id, populate_existing=True)
    assert guild is not None
    return guild


class UserService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def get(self, user_id: int) -> User | None:
        async with self.db.read() as session:
            return await session.get(User, user_id)

    async def set_time_zone(self, user_id: int, name: str) -> bool:
        if not is_valid_zone(name):
            return False
        async with self.db.write() as session:
            user = await lock_user(session, user_id, self.clock())
            user.time_zone = name
        return True

    async def streaks_at_risk(self) -> list[User]:
        """Learners who asked for reminders and lose their streak at local midnight."""
        now = self.clock()
        async with self.db.read() as session:
            candidates = await session.scalars(
                select(User).where(
                    User.dm_reminders,
                    User.streak > 0,
                    User.last_solve_day >= (now - timedelta(days=2)).date(),
                )
            )
            return [
                u
                for u in candidates
                if streak_at_risk(
                    u.last_solve_day, u.streak, now.astimezone(zone(u.time_zone)), u.remind_hours
                )
            ]

    async def set_dm_reminders(self, user_id: int, enabled: bool) -> None:
        async with self.db.write() as session:
            user = await lock_user(session, user_id, self.clock())
            user.dm_reminders = enabled

    async def guild(self, guild_id: int) -> Guild:
        async with self.db.write() as session:
            return await ensure_guild(session, guild_id, self.clock())
