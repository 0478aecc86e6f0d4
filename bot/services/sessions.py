"""The learner's current problem, progressive hints and the reveal rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import HintEvent, PracticeSession, PracticeThread, ProblemState

from .clock import Clock, utc_now
from .users import insert_ignore, lock_user

REVEAL_AFTER_FAILURES = 2
REVEAL_AFTER_HINTS = 2
HINTS = 3


async def open_session(session: AsyncSession, user_id: int, problem_id: str, seed: int,
                       now: datetime, *, context: str, guild_id: int | None = None,
                       channel_id: int | None = None, thread_id: int | None = None,
                       auto_run_id: int | None = None, daily_challenge_id: int | None = None,
                       reason: str = "") -> PracticeSession:
    """Make ``problem_id`` the learner's current problem (the caller holds the user lock)."""
    await insert_ignore(session, ProblemState, user_id=user_id, problem_id=problem_id,
                        attempts=0, hints_used=0, revealed=False, solved=False, first_try=False,
                        first_seen_at=now)
    state = await session.get(ProblemState, (user_id, problem_id))
    current = await session.get(PracticeSession, user_id)
    if current is None:
        current = PracticeSession(user_id=user_id, problem_id=problem_id, variant_seed=seed,
                                  context=context, started_at=now, hints_shown=0,
                                  failed_attempts=0)
        session.add(current)
        same = False
    else:
        same = current.problem_id == problem_id and current.variant_seed == seed
    current.problem_id, current.variant_seed, current.context = problem_id, seed, context
    current.guild_id, current.channel_id, current.thread_id = guild_id, channel_id, thread_id
    current.auto_run_id, current.daily_challenge_id = auto_run_id, daily_challenge_id
    current.reason = reason
    if not same:
        current.hints_shown = state.hints_used if state else 0
        current.failed_attempts = 0
        current.started_at = now
    return current


@dataclass(frozen=True)
class HintResult:
    level: int  # 1..3, or 0 when there are no more
    total: int


class RevealRefused(Exception):
    pass


class NoCurrentProblem(Exception):
    pass


class PracticeService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def start(self, user_id: int, problem_id: str, seed: int = 0, *, context: str,
                    guild_id: int | None = None, channel_id: int | None = None,
                    thread_id: int | None = None, daily_challenge_id: int | None = None,
                    reason: str = "") -> PracticeSession:
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            return await open_session(session, user_id, problem_id, seed, now, context=context,
                                      guild_id=guild_id, channel_id=channel_id,
                                      thread_id=thread_id, daily_challenge_id=daily_challenge_id,
                                      reason=reason)

    async def current(self, user_id: int) -> PracticeSession | None:
        async with self.db.read() as session:
            return await session.get(PracticeSession, user_id)

    async def set_thread(self, user_id: int, thread_id: int, guild_id: int | None) -> None:
        """Remember that ``thread_id`` was opened for the learner's current problem."""
        async with self.db.write() as session:
            current = await session.get(PracticeSession, user_id)
            if current is None:
                return
            current.thread_id = thread_id
            await insert_ignore(session, PracticeThread, thread_id=thread_id, user_id=user_id,
                                problem_id=current.problem_id, variant_seed=current.variant_seed,
                                guild_id=guild_id, created_at=self.clock())

    async def thread_problem(self, thread_id: int) -> PracticeThread | None:
        async with self.db.read() as session:
            return await session.get(PracticeThread, thread_id)

    async def next_hint(self, user_id: int) -> HintResult:
        """Reveal the next hint level for the current problem (recorded)."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            current = await self._current(session, user_id)
            state = await session.get(ProblemState, (user_id, current.problem_id))
            assert state is not None
            if current.hints_shown >= HINTS:
                return HintResult(0, HINTS)
            current.hints_shown += 1
            state.hints_used = max(state.hints_used, current.hints_shown)
            session.add(HintEvent(user_id=user_id, problem_id=current.problem_id,
                                  variant_seed=current.variant_seed, kind="hint",
                                  level=current.hints_shown, created_at=now))
            return HintResult(current.hints_shown, HINTS)

    async def can_reveal(self, user_id: int) -> bool:
        current = await self.current(user_id)
        return current is not None and self.reveal_allowed(current)

    @staticmethod
    def reveal_allowed(current: PracticeSession) -> bool:
        return (current.failed_attempts >= REVEAL_AFTER_FAILURES
                or current.hints_shown >= REVEAL_AFTER_HINTS)

    async def reveal(self, user_id: int) -> PracticeSession:
        """Mark the reference solution as shown; refused before honest tries."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            current = await self._current(session, user_id)
            if not self.reveal_allowed(current):
                raise RevealRefused(
                    f"The solution unlocks after {REVEAL_AFTER_FAILURES} failed attempts or "
                    f"{REVEAL_AFTER_HINTS} hints (so far: {current.failed_attempts} failed, "
                    f"{current.hints_shown} hints).")
            state = await session.get(ProblemState, (user_id, current.problem_id))
            assert state is not None
            state.revealed = True
            session.add(HintEvent(user_id=user_id, problem_id=current.problem_id,
                                  variant_seed=current.variant_seed, kind="reveal", level=0,
                                  created_at=now))
            return current

    async def clear(self, user_id: int) -> None:
        async with self.db.write() as session:
            current = await session.get(PracticeSession, user_id)
            if current is not None:
                await session.delete(current)

    @staticmethod
    async def _current(session: AsyncSession, user_id: int) -> PracticeSession:
        current = await session.get(PracticeSession, user_id)
        if current is None:
            raise NoCurrentProblem("You have no current problem: start one with /practice.")
        return current
