"""Streak reminders: an opt-in message when a learner's daily streak is about to lapse.

A learner chooses how many hours before their local midnight to hear from the bot. Each
reminder is *claimed* in the database for the learner's local day before it is sent, so a
learner hears at most once a day, whatever restarts or overlapping checks happen. A reminder
that cannot be delivered turns reminders off and leaves a note, told to the learner the next
time they use the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select, update

from bot.db import Database
from bot.db.models import User

from .clock import Clock, utc_now, zone
from .rewards import DEFAULT_REMIND_HOURS, streak_at_risk
from .users import lock_user

MIN_HOURS, MAX_HOURS = 1, 12
UNDELIVERABLE = "dm_closed"  # the note left when a reminder could not be sent


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool
    hours: int  # before local midnight
    time_zone: str

    @property
    def local_time(self) -> str:
        """When reminders come, on the learner's clock ("18:00")."""
        return f"{(24 - self.hours) % 24:02d}:00"


@dataclass(frozen=True)
class DueReminder:
    user_id: int
    streak: int
    day: date  # the learner's local day the reminder is for
    ends_at: datetime  # UTC: local midnight, when the streak lapses


class ReminderService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock
        self._notes: set[int] | None = None  # learners with a note waiting (None: not loaded)

    async def settings(self, user_id: int) -> ReminderSettings:
        async with self.db.read() as session:
            user = await session.get(User, user_id)
        if user is None:
            return ReminderSettings(False, DEFAULT_REMIND_HOURS, "UTC")
        return ReminderSettings(user.dm_reminders, user.remind_hours, user.time_zone)

    async def set(self, user_id: int, enabled: bool, hours: int | None = None) -> ReminderSettings:
        if hours is not None and not MIN_HOURS <= hours <= MAX_HOURS:
            raise ValueError(f"hours out of range: {hours}")
        async with self.db.write() as session:
            user = await lock_user(session, user_id, self.clock())
            user.dm_reminders = enabled
            if hours is not None:
                user.remind_hours = hours
            if enabled:
                user.reminder_note = None
            settings = ReminderSettings(user.dm_reminders, user.remind_hours, user.time_zone)
        if enabled and self._notes is not None:
            self._notes.discard(user_id)
        return settings

    async def due(self) -> list[DueReminder]:
        """Learners to remind now: reminders on, streak ending at their next midnight within
        their chosen hours, not yet reminded on their local today."""
        now = self.clock()
        async with self.db.read() as session:
            candidates = list(
                await session.scalars(
                    select(User).where(
                        User.dm_reminders,
                        User.streak > 0,
                        User.last_solve_day >= (now - timedelta(days=2)).date(),
                    )
                )
            )
        found = []
        for user in candidates:
            local = now.astimezone(zone(user.time_zone))
            if user.reminded_on == local.date():
                continue
            if streak_at_risk(user.last_solve_day, user.streak, local, user.remind_hours):
                midnight = datetime.combine(
                    local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo
                )
                found.append(
                    DueReminder(user.id, user.streak, local.date(), midnight.astimezone(UTC))
                )
        return found

    async def claim(self, user_id: int, day: date) -> bool:
        """Mark ``day``'s reminder as sent before sending it; False if it already was."""
        async with self.db.write() as session:
            result = await session.execute(
                update(User)
                .where(
                    User.id == user_id,
                    User.dm_reminders,
                    or_(User.reminded_on.is_(None), User.reminded_on != day),
                )
                .values(reminded_on=day)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, user_id: int, day: date) -> None:
        """Sending failed for a passing reason: the next check may try again today."""
        async with self.db.write() as session:
            await session.execute(
                update(User)
                .where(User.id == user_id, User.reminded_on == day)
                .values(reminded_on=None)
            )

    async def undeliverable(self, user_id: int) -> None:
        """The learner's DMs are closed: stop, and tell them next time."""
        async with self.db.write() as session:
            user = await lock_user(session, user_id, self.clock())
            user.dm_reminders = False
            user.reminder_note = UNDELIVERABLE
        if self._notes is not None:
            self._notes.add(user_id)

    async def take_note(self, user_id: int) -> str | None:
        """A note waiting for the learner, cleared as it is taken. Costs no database read for
        learners without one (the few with a note are kept in memory)."""
        if self._notes is None:
            async with self.db.read() as session:
                self._notes = set(
                    await session.scalars(select(User.id).where(User.reminder_note.is_not(None)))
                )
        if user_id not in self._notes:
            return None
        self._notes.discard(user_id)
        async with self.db.write() as session:
            user = await lock_user(session, user_id, self.clock())
            note, user.reminder_note = user.reminder_note, None
        return note
