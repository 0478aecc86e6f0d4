"""Recording a judged submission: one transaction for everything it changes.

Submission row, problem state, stat counters, XP, daily streak, badges, auto-mode state and
daily-challenge completion are written together or not at all; the learner's row is locked
first, so simultaneous submissions by one learner apply one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import (
    AutoRun,
    Badge,
    DailyChallenge,
    DailyCompletion,
    HintEvent,
    PracticeSession,
    ProblemState,
    StatCounter,
    Submission,
    User,
    XpEntry,
)
from curriculum import Curriculum, Difficulty, Problem
from runner import Status, Verdict

from . import reviews
from .automode import AutoModeService, AutoOutcome
from .clock import Clock, local_day, utc_now
from .rewards import BadgeFacts, Level, earned_badges, level_for, next_streak, xp_for_solve
from .sessions import HINTS
from .users import lock_user


class NotRecordable(Exception):
    """A sandbox failure: never counted against the learner."""


@dataclass(frozen=True)
class SubmissionIn:
    user_id: int
    problem: Problem
    source: str
    verdict: Verdict
    seed: int = 0
    context: str = "dm"  # guild | thread | dm | cli
    guild_id: int | None = None
    channel_id: int | None = None


@dataclass
class Recorded:
    submission_id: int
    accepted: bool
    first_solve: bool
    revealed: bool  # the reference solution had been shown: no XP, streak, badge or rank
    attempts: int  # on this problem, including this one
    xp_gained: int
    xp_total: int
    level: Level
    level_up: bool
    streak: int
    new_badges: list[str] = field(default_factory=list)
    auto: AutoOutcome | None = None
    daily_rank: int | None = None


class ProgressService:
    def __init__(
        self,
        db: Database,
        curriculum: Curriculum,
        automode: AutoModeService,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.automode = automode
        self.clock = clock
        self._module_sizes = {m: len(curriculum.select(m)) for m in curriculum.modules}

    async def record(self, entry: SubmissionIn) -> Recorded:
        if entry.verdict.status is Status.SANDBOX_ERROR:
            raise NotRecordable("sandbox errors are not the learner's attempts")
        async with self.db.write() as session:
            return await self._record(session, entry, self.clock())

    async def _record(self, session: AsyncSession, entry: SubmissionIn, now: datetime) -> Recorded:
        problem, verdict = entry.problem, entry.verdict
        accepted = verdict.accepted
        user, state, current, counter = await self._load(session, entry.user_id, problem, now)
        if counter is None:
            counter = StatCounter(
                user_id=user.id,
                module=problem.module,
                subtopic=problem.subtopic,
                problem_type=problem.problem_type,
                difficulty=problem.difficulty.value,
                attempts=0,
                solved=0,
                first_try=0,
                solve_seconds=0.0,
            )
            session.add(counter)
        if state is None:
            state = ProblemState(
                user_id=user.id,
                problem_id=problem.id,
                attempts=0,
                hints_used=0,
                revealed=False,
                solved=False,
                first_try=False,
                first_seen_at=now,
            )
            session.add(state)
        on_current = (
            current is not None
            and current.problem_id == problem.id
            and current.variant_seed == entry.seed
        )
        solved_before = state.solved
        state.attempts += 1
        state.last_attempt_at = now
        first_solve = accepted and not state.solved
        submission = Submission(
            user_id=user.id,
            guild_id=entry.guild_id,
            channel_id=entry.channel_id,
            context=entry.context,
            problem_id=problem.id,
            variant_seed=entry.seed,
            module=problem.module,
            subtopic=problem.subtopic,
            problem_type=problem.problem_type,
            difficulty=problem.difficulty.value,
            source=entry.source,
            verdict=verdict.status.value,
            passed=verdict.passed,
            total=verdict.total,
            tests=[t.status.value for t in verdict.tests],
            duration_ms=verdict.duration_ms,
            hints_used=state.hints_used,
            first_solve=first_solve,
            created_at=now,
            auto_run_id=current.auto_run_id if on_current and current else None,
            daily_challenge_id=current.daily_challenge_id if on_current and current else None,
        )
        session.add(submission)
        if not solved_before:  # practising a solved problem again never lowers its mastery
            counter.attempts += 1
        counter.last_attempt_at = now
        if on_current and current is not None and not accepted:
            current.failed_attempts += 1

        xp_gained, level_before = 0, level_for(user.xp)
        if first_solve:
            seconds = max(0.0, (now - state.first_seen_at).total_seconds())
            state.solved, state.solved_at, state.seconds_to_solve = True, now, seconds
            state.first_try = state.attempts == 1
            counter.solved += 1
            counter.first_try += int(state.first_try)
            counter.solve_seconds += seconds
            user.solved_count += 1
            user.first_try_solves += int(state.first_try)
            user.no_hint_solves += int(state.hints_used == 0)
            xp_gained = xp_for_solve(
                problem.difficulty, state.hints_used, state.attempts, state.revealed
            )
            user.xp += xp_gained
        streak_before = user.streak
        if accepted and not state.revealed:
            today = local_day(now, user.time_zone)
            user.streak = next_streak(user.last_solve_day, user.streak, today)
            user.last_solve_day = today
            user.best_streak = max(user.best_streak, user.streak)
        await session.flush()  # one batch of writes; gives the submission its id
        if xp_gained:
            session.add(
                XpEntry(
                    user_id=user.id,
                    guild_id=entry.guild_id,
                    amount=xp_gained,
                    reason=f"solved {problem.difficulty.value}",
                    problem_id=problem.id,
                    submission_id=submission.id,
                    created_at=now,
                )
            )

        daily_rank = None
        if accepted and submission.daily_challenge_id is not None:
            # Any accepted answer counts for the day's challenge (once), even on a problem the
            # learner had solved before; not after looking at its solution during the day.
            daily_rank = await self._complete_daily(
                session, submission.daily_challenge_id, user.id, problem.id, now
            )
        auto = None
        if on_current and current is not None and current.auto_run_id is not None:
            run = await session.get(AutoRun, current.auto_run_id)
            if run is not None and run.active and run.current_problem_id == problem.id:
                auto = await self.automode.apply_result(session, run, problem, accepted, now)
        streak_grew = user.streak > streak_before
        honest = not state.revealed
        new_badges = (
            await self._award_badges(
                session, user, problem, first_solve, daily_rank, entry.guild_id, now
            )
            if honest and (first_solve or streak_grew or daily_rank == 1)
            else []
        )
        await reviews.after_submission(
            session,
            user.id,
            problem.id,
            accepted=accepted,
            first_solve=first_solve,
            solved=state.solved,
            attempts=state.attempts,
            every_hint=state.hints_used >= HINTS,
            now=now,
        )
        level_after = level_for(user.xp)
        return Recorded(
            submission_id=submission.id,
            accepted=accepted,
            first_solve=first_solve,
            revealed=state.revealed,
            attempts=state.attempts,
            xp_gained=xp_gained,
            xp_total=user.xp,
            level=level_after,
            level_up=level_after.number > level_before.number,
            streak=user.streak,
            new_badges=new_badges,
            auto=auto,
            daily_rank=daily_rank,
        )

    @staticmethod
    async def _load(
        session: AsyncSession, user_id: int, problem: Problem, now: datetime
    ) -> tuple[User, ProblemState | None, PracticeSession | None, StatCounter | None]:
        """The learner (locked), their state for the problem, their current problem and the
        counter for the problem's place in the course, in one round trip."""
        query = (
            select(User, ProblemState, PracticeSession, StatCounter)
            .outerjoin(
                ProblemState,
                and_(ProblemState.user_id == User.id, ProblemState.problem_id == problem.id),
            )
            .outerjoin(PracticeSession, PracticeSession.user_id == User.id)
            .outerjoin(
                StatCounter,
                and_(
                    StatCounter.user_id == User.id,
                    StatCounter.module == problem.module,
                    StatCounter.subtopic == problem.subtopic,
                    StatCounter.problem_type == problem.problem_type,
                    StatCounter.difficulty == problem.difficulty.value,
                ),
            )
            .where(User.id == user_id)
            .with_for_update(of=User)
        )
        row = (await session.execute(query)).one_or_none()
        if row is None:
            await lock_user(session, user_id, now)  # a new learner: create the row, then read
            row = (await session.execute(query)).one()
        return row[0], row[1], row[2], row[3]

    @staticmethod
    async def _complete_daily(
        session: AsyncSession, challenge_id: int, user_id: int, problem_id: str, now: datetime
    ) -> int | None:
        """Rank the learner among the challenge's solvers, once (the challenge row is locked,
        so two solvers at the same instant get different ranks on PostgreSQL too)."""
        challenge = await session.scalar(
            select(DailyChallenge).where(DailyChallenge.id == challenge_id).with_for_update()
        )
        if challenge is None or challenge.problem_id != problem_id:
            return None
        if await session.get(DailyCompletion, (challenge_id, user_id)):
            return None
        revealed = await session.scalar(
            select(HintEvent.id)
            .where(
                HintEvent.user_id == user_id,
                HintEvent.problem_id == problem_id,
                HintEvent.kind == "reveal",
                HintEvent.created_at >= challenge.posted_at,
            )
            .limit(1)
        )
        if revealed is not None:
            return None
        attempts = await session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(Submission.user_id == user_id, Submission.daily_challenge_id == challenge_id)
        )
        solvers = await session.scalar(
            select(func.count())
            .select_from(DailyCompletion)
            .where(DailyCompletion.challenge_id == challenge_id)
        )
        rank = (solvers or 0) + 1
        session.add(
            DailyCompletion(
                challenge_id=challenge_id,
                user_id=user_id,
                rank=rank,
                attempts=attempts or 1,
                solved_at=now,
            )
        )
        return rank

    async def _award_badges(
        self,
        session: AsyncSession,
        user: User,
        problem: Problem,
        first_solve: bool,
        daily_rank: int | None,
        guild_id: int | None,
        now: datetime,
    ) -> list[str]:
        if first_solve:
            facts = await self._badge_facts(session, user, problem, daily_rank)
        else:
            facts = BadgeFacts(
                user.solved_count,
                user.streak,
                user.no_hint_solves,
                user.first_try_solves,
                False,
                0,
                0,
                0,
                daily_rank,
            )
        earned = earned_badges(facts)
        if not earned:
            return []
        owned = set(
            await session.scalars(
                select(Badge.code).where(Badge.user_id == user.id, Badge.code.in_(earned))
            )
        )
        new = sorted(earned - owned)
        for code in new:
            session.add(Badge(user_id=user.id, code=code, guild_id=guild_id, awarded_at=now))
        return new

    async def _badge_facts(
        self, session: AsyncSession, user: User, problem: Problem, daily_rank: int | None
    ) -> BadgeFacts:
        rows = (
            await session.execute(
                select(StatCounter.module, StatCounter.difficulty, func.sum(StatCounter.solved))
                .where(StatCounter.user_id == user.id, StatCounter.solved > 0)
                .group_by(StatCounter.module, StatCounter.difficulty)
            )
        ).all()
        in_module = {level: int(n) for module, level, n in rows if module == problem.module}
        revealed_solves = await session.scalar(
            select(func.count())
            .select_from(ProblemState)
            .where(ProblemState.user_id == user.id, ProblemState.solved, ProblemState.revealed)
        )
        return BadgeFacts(
            solved=user.solved_count - (revealed_solves or 0),
            streak=user.streak,
            no_hint_solves=user.no_hint_solves,
            first_try_solves=user.first_try_solves,
            solved_advanced=any(level == Difficulty.ADVANCED.value for _, level, _ in rows),
            module_levels_solved=len(in_module),
            module_solved=sum(in_module.values()),
            module_size=self._module_sizes.get(problem.module, 0),
            daily_rank=daily_rank,
        )
