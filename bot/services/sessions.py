"""The learner's current problem, progressive hints and the reveal rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import HintEvent, PracticeSession, PracticeThread, ProblemState

from . import reviews
from .catalog import ProblemRef
from .clock import Clock, utc_now
from .errors import NoCurrentProblem, RevealLocked
from .users import insert_ignore, lock_user

REVEAL_AFTER_FAILURES = 2
REVEAL_AFTER_HINTS = 2
HINTS = 3


async def open_session(
    session: AsyncSession,
    user_id: int,
    problem_id: str,
    seed: int,
    now: datetime,
    *,
    context: str,
    guild_id: int | None = None,
    channel_id: int | None = None,
    thread_id: int | None = None,
    auto_run_id: int | None = None,
    daily_challenge_id: int | None = None,
    reason: str = "",
) -> PracticeSession:
    """Make ``problem_id`` the learner's current problem (the caller holds the user lock)."""
    await insert_ignore(
        session,
        ProblemState,
        user_id=user_id,
        problem_id=problem_id,
        attempts=0,
        hints_used=0,
        revealed=False,
        solved=False,
        first_try=False,
        first_seen_at=now,
    )
    state = await session.get(ProblemState, (user_id, problem_id))
    current = await session.get(PracticeSession, user_id)
    if current is None:
        current = PracticeSession(
            user_id=user_id,
            problem_id=problem_id,
            variant_seed=seed,
            context=context,
            started_at=now,
            hints_shown=0,
            failed_attempts=0,
        )
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
    level: int  # hints shown so far for this problem, 1..total
    total: int
    new: bool  # False once every hint has been shown: the request only re-reads them


class PracticeService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def start(
        self,
        user_id: int,
        problem_id: str,
        seed: int = 0,
        *,
        context: str,
        guild_id: int | None = None,
        channel_id: int | None = None,
        thread_id: int | None = None,
        auto_run_id: int | None = None,
        daily_challenge_id: int | None = None,
        reason: str = "",
    ) -> PracticeSession:
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            return await open_session(
                session,
                user_id,
                problem_id,
                seed,
                now,
                context=context,
                guild_id=guild_id,
                channel_id=channel_id,
                thread_id=thread_id,
                auto_run_id=auto_run_id,
                daily_challenge_id=daily_challenge_id,
                reason=reason,
            )

    async def current(self, user_id: int) -> PracticeSession | None:
        async with self.db.read() as session:
            return await session.get(PracticeSession, user_id)

    async def show_in_thread(
        self, user_id: int, thread_id: int, guild_id: int | None, shown: ProblemRef
    ) -> None:
        """``shown`` is now on screen in the learner's own thread: from here on the thread
        stands for it (code posted there is judged against it). It is named, not read from the
        current problem, which the learner may be changing elsewhere at the same moment."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            thread = await session.get(PracticeThread, thread_id)
            if thread is None:
                session.add(
                    PracticeThread(
                        thread_id=thread_id,
                        user_id=user_id,
                        problem_id=shown.problem_id,
                        variant_seed=shown.seed,
                        guild_id=guild_id,
                        created_at=now,
                    )
                )
            elif thread.user_id != user_id:
                return  # someone else's thread never follows this learner
            else:
                thread.problem_id, thread.variant_seed = shown.problem_id, shown.seed
            current = await session.get(PracticeSession, user_id)
            if current is not None and (current.problem_id, current.variant_seed) == (
                shown.problem_id,
                shown.seed,
            ):
                current.thread_id = thread_id

    async def thread(self, thread_id: int) -> PracticeThread | None:
        async with self.db.read() as session:
            return await session.get(PracticeThread, thread_id)

    async def threads_of(self, user_id: int, limit: int = 10) -> list[int]:
        """The learner's practice threads, newest first."""
        async with self.db.read() as session:
            return list(
                await session.scalars(
                    select(PracticeThread.thread_id)
                    .where(PracticeThread.user_id == user_id)
                    .order_by(PracticeThread.created_at.desc(), PracticeThread.thread_id.desc())
                    .limit(limit)
                )
            )

    async def next_hint(self, user_id: int) -> HintResult:
        """Reveal the next hint level for the current problem (recorded)."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            current = await self._current(session, user_id)
            state = await session.get(ProblemState, (user_id, current.problem_id))
            assert state is not None
            if current.hints_shown >= HINTS:
                return HintResult(HINTS, HINTS, new=False)
            current.hints_shown += 1
            state.hints_used = max(state.hints_used, current.hints_shown)
            session.add(
                HintEvent(
                    user_id=user_id,
                    problem_id=current.problem_id,
                    variant_seed=current.variant_seed,
                    kind="hint",
                    level=current.hints_shown,
                    created_at=now,
                )
            )
            return HintResult(current.hints_shown, HINTS, new=True)

    async def can_reveal(self, user_id: int) -> bool:
        current = await self.current(user_id)
        return current is not None and self.reveal_allowed(current)

    @staticmethod
    def reveal_allowed(current: PracticeSession) -> bool:
        return (
            current.failed_attempts >= REVEAL_AFTER_FAILURES
            or current.hints_shown >= REVEAL_AFTER_HINTS
        )

    async def reveal(self, user_id: int) -> PracticeSession:
        """Mark the reference solution as shown; refused before honest tries."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            current = await self._current(session, user_id)
            if not self.reveal_allowed(current):
                raise RevealLocked(
                    current.failed_attempts,
                    current.hints_shown,
                    REVEAL_AFTER_FAILURES,
                    REVEAL_AFTER_HINTS,
                )
            state = await session.get(ProblemState, (user_id, current.problem_id))
            assert state is not None
            state.revealed = True
            await reviews.schedule(session, user_id, current.problem_id, "revealed", now)
            session.add(
                HintEvent(
                    user_id=user_id,
                    problem_id=current.problem_id,
                    variant_seed=current.variant_seed,
                    kind="reveal",
                    level=0,
                    created_at=now,
                )
            )
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
            raise NoCurrentProblem()
        return current
