"""Auto mode: the service picks the next problem, and says why.

Rules (from the reference system, with its defects fixed):
- new learners first get a mini-curriculum: the first module's subtopics in course order;
- then the weakest attempted subtopic (mastery = solved/attempts below ``WEAK_MASTERY``), else
  the next untouched subtopic in course order, else the lowest mastery (ties shuffled);
- difficulty is tracked per subtopic: ``PROMOTE_AFTER`` correct answers in a row *in that
  subtopic* promote it, ``DEMOTE_AFTER`` consecutive failures demote it (the reference kept one
  global streak, so any subtopic got promoted while it stayed high);
- after a failure a remediation item for the same subtopic goes first, unless one is already
  among the next ``REMEDIATION_LOOKAHEAD`` items;
- a run idle for more than ``IDLE_DECAY`` has its streaks halved (not reset) when it resumes;
- skipping is allowed without penalty on advanced problems only;
- never the same problem twice in a row (the reference compared the wrong ids);
- a due review (``reviews``) is mixed in between other problems, saying why it is back.
XP is never read here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import AutoRun, ProblemState, StatCounter, Submission, SubtopicLevel
from curriculum import Curriculum, Difficulty, Problem, pick_problem

from . import reviews
from .clock import Clock, utc_now
from .errors import NoActiveRun, SkipNotAllowed
from .sessions import open_session
from .users import lock_user

PROMOTE_AFTER = 3
DEMOTE_AFTER = 2
REMEDIATION_LOOKAHEAD = 5
IDLE_DECAY = timedelta(hours=24)
WEAK_MASTERY = 0.6
RECENT_KEPT = 20


@dataclass(frozen=True)
class AutoPick:
    problem: Problem
    difficulty: Difficulty
    reason: str
    run_id: int


@dataclass(frozen=True)
class AutoOutcome:
    """What a verdict did to the run, for the verdict message."""

    streak: int
    subtopic: str
    difficulty: Difficulty
    promoted: bool = False
    demoted: bool = False
    remediation_queued: bool = False


@dataclass(frozen=True)
class AutoStatus:
    run_id: int
    active: bool
    streak: int
    solved: int
    attempted: int
    current_problem_id: str | None
    current_reason: str
    upcoming: list[str]  # reasons of queued items
    levels: dict[str, str]  # "module/subtopic" -> difficulty


class AutoModeService:
    def __init__(
        self, db: Database, curriculum: Curriculum, clock: Clock = utc_now, seed: int | None = None
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.clock = clock
        self.seed = seed  # fixed seed: deterministic choices (tests)

    # -- public operations -------------------------------------------------------------------

    async def start(self, user_id: int) -> AutoPick:
        """Start a run, or resume the active one (with idle decay); returns the current item."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            run = await self._active_run(session, user_id)
            note = ""
            if run is None:
                run = AutoRun(
                    user_id=user_id,
                    active=True,
                    streak=0,
                    queue=[],
                    recent=[],
                    solved=0,
                    attempted=0,
                    started_at=now,
                    last_activity_at=now,
                )
                run.queue = await self._starter_queue(session, user_id)
                session.add(run)
                await session.flush()
            else:
                note = await self._decay_if_idle(session, run, now)
            if run.current_problem_id and (problem := self.curriculum.get(run.current_problem_id)):
                level = await self._level(session, user_id, problem.module, problem.subtopic, now)
                reason = run.current_reason + (f" · {note}" if note else "")
                # Resuming makes the run's problem current again, whatever was practised since.
                await open_session(
                    session,
                    user_id,
                    problem.id,
                    0,
                    now,
                    context="auto",
                    auto_run_id=run.id,
                    reason=run.current_reason,
                )
                return AutoPick(problem, Difficulty(level.difficulty), reason, run.id)
            return await self._advance(session, run, now, note)

    async def next(self, user_id: int) -> AutoPick:
        """Move on to a new problem (after a verdict, or when the learner asks)."""
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            run = await self._require_run(session, user_id)
            note = await self._decay_if_idle(session, run, now)
            return await self._advance(session, run, now, note)

    async def skip(self, user_id: int) -> AutoPick:
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            run = await self._require_run(session, user_id)
            current = self.curriculum.get(run.current_problem_id or "")
            if current is not None and current.difficulty is not Difficulty.ADVANCED:
                raise SkipNotAllowed(current.difficulty)
            return await self._advance(session, run, now, "skipped without penalty")

    async def stop(self, user_id: int) -> bool:
        async with self.db.write() as session:
            run = await self._active_run(session, user_id)
            if run is None:
                return False
            run.active = False
            run.stopped_at = self.clock()
            return True

    async def run_serving(self, user_id: int, problem_id: str) -> int | None:
        """The active run whose current problem this is, if any."""
        async with self.db.read() as session:
            run = await self._active_run(session, user_id)
        return run.id if run is not None and run.current_problem_id == problem_id else None

    async def status(self, user_id: int) -> AutoStatus | None:
        async with self.db.read() as session:
            run = await self._active_run(session, user_id)
            if run is None:
                return None
            rows = await session.scalars(
                select(SubtopicLevel).where(SubtopicLevel.user_id == user_id)
            )
            levels = {f"{r.module}/{r.subtopic}": r.difficulty for r in rows}
            return AutoStatus(
                run.id,
                run.active,
                run.streak,
                run.solved,
                run.attempted,
                run.current_problem_id,
                run.current_reason,
                [item["reason"] for item in run.queue[:REMEDIATION_LOOKAHEAD]],
                levels,
            )

    # -- inside the recording transaction ------------------------------------------------------

    async def apply_result(
        self, session: AsyncSession, run: AutoRun, problem: Problem, accepted: bool, now: datetime
    ) -> AutoOutcome:
        """Update the run and the subtopic's level for a verdict on the run's current problem."""
        level = await self._level(session, run.user_id, problem.module, problem.subtopic, now)
        difficulty = Difficulty(level.difficulty)
        promoted = demoted = queued = False
        run.attempted += 1
        run.last_activity_at = now
        if accepted:
            run.streak += 1
            run.solved += 1
            level.correct_run += 1
            level.failure_run = 0
            run.current_problem_id = None  # done: the next verdict on it no longer counts
            if level.correct_run >= PROMOTE_AFTER and difficulty is not Difficulty.ADVANCED:
                difficulty = difficulty.step(+1)
                level.difficulty, level.correct_run, promoted = difficulty.value, 0, True
                self._queue_first(
                    run,
                    problem,
                    f"promoted to {difficulty.value} in {self.curriculum.subtopic_title(problem)}",
                    "promotion",
                )
        else:
            run.streak = 0
            level.failure_run += 1
            level.correct_run = 0
            if level.failure_run >= DEMOTE_AFTER and difficulty is not Difficulty.BEGINNER:
                difficulty = difficulty.step(-1)
                level.difficulty, level.failure_run, demoted = difficulty.value, 0, True
            upcoming = run.queue[:REMEDIATION_LOOKAHEAD]
            if not any(
                item.get("kind") == "remediation"
                and item["module"] == problem.module
                and item["subtopic"] == problem.subtopic
                for item in upcoming
            ):
                self._queue_first(
                    run,
                    problem,
                    f"remediation for {self.curriculum.subtopic_title(problem)}",
                    "remediation",
                )
                queued = True
        level.updated_at = now
        return AutoOutcome(run.streak, problem.subtopic, difficulty, promoted, demoted, queued)

    # -- choosing ------------------------------------------------------------------------------

    async def _advance(
        self, session: AsyncSession, run: AutoRun, now: datetime, note: str
    ) -> AutoPick:
        rng = random.Random(self._seed(run))
        queue = list(run.queue)
        review = None
        # A due review is mixed in between other problems (never two in a row, never before
        # a remediation that a failure queued), and says why it is back.
        if not (queue and queue[0].get("kind") == "remediation") and not (
            run.current_reason.startswith(reviews.REVIEW_PREFIX)
        ):
            review = await reviews.next_due(
                session, run.user_id, now, self.curriculum, frozenset(run.recent[:1])
            )
        if review is not None:
            problem = self.curriculum.problems[review.problem_id]
            reason = review.why(now)
        else:
            item = queue.pop(0) if queue else await self._weakness_item(session, run.user_id, rng)
            run.queue = queue
            level = await self._level(session, run.user_id, item["module"], item["subtopic"], now)
            difficulty = Difficulty(level.difficulty)
            problem = await self._problem_for(session, run, item, difficulty, rng)
            reason = item["reason"]
        reason += f" · {note}" if note else ""
        run.current_problem_id = problem.id
        run.current_reason = reason[:200]
        run.recent = [problem.id, *run.recent][:RECENT_KEPT]
        run.last_activity_at = now
        await open_session(
            session,
            run.user_id,
            problem.id,
            0,
            now,
            context="auto",
            auto_run_id=run.id,
            reason=run.current_reason,
        )
        if review is not None:
            await reviews.begin(session, run.user_id, problem.id)
        return AutoPick(problem, problem.difficulty, run.current_reason, run.id)

    async def _problem_for(
        self,
        session: AsyncSession,
        run: AutoRun,
        item: dict[str, Any],
        difficulty: Difficulty,
        rng: random.Random,
    ) -> Problem:
        """The item's subtopic at the nearest difficulty, widening to the module, then the
        course. Unsolved problems anywhere on that path beat a re-run of a solved one, and the
        learner's latest problems (in or out of auto mode) are never served straight back."""
        solved = set(
            await session.scalars(
                select(ProblemState.problem_id).where(
                    ProblemState.user_id == run.user_id, ProblemState.solved
                )
            )
        )
        lately = list(
            await session.scalars(
                select(Submission.problem_id)
                .where(Submission.user_id == run.user_id)
                .order_by(Submission.id.desc())
                .limit(RECENT_KEPT)
            )
        )
        recent = list(dict.fromkeys([*run.recent, *lately]))
        avoid = {run.recent[0]} if run.recent else set()
        avoid.update(lately[:1])
        module, subtopic = item["module"], item["subtopic"]
        nearest = sorted(Difficulty, key=lambda d: (abs(d.rank - difficulty.rank), -d.rank))
        attempts = [(module, subtopic, d) for d in nearest] + [
            (module, None, difficulty),
            (module, None, None),
            (None, None, None),
        ]
        fallback = None
        for mod, sub, level in attempts:
            problem = pick_problem(
                self.curriculum,
                module=mod,
                subtopic=sub,
                difficulty=level,
                solved=solved,
                recent=recent,
                rng=rng,
            )
            if problem is None or problem.id in avoid:
                continue
            if problem.id not in solved:
                return problem
            fallback = fallback or problem
        if fallback is not None:
            return fallback
        raise LookupError("the curriculum has no problem to offer")

    async def _weakness_item(
        self, session: AsyncSession, user_id: int, rng: random.Random
    ) -> dict[str, Any]:
        rows = await session.execute(
            select(
                StatCounter.module,
                StatCounter.subtopic,
                func.sum(StatCounter.attempts),
                func.sum(StatCounter.solved),
            )
            .where(StatCounter.user_id == user_id)
            .group_by(StatCounter.module, StatCounter.subtopic)
        )
        mastery = {(m, s): (solved or 0) / attempts for m, s, attempts, solved in rows if attempts}
        weak = [key for key, value in mastery.items() if value < WEAK_MASTERY]
        if weak:
            rng.shuffle(weak)  # ties broken at random, then the lowest first
            module, subtopic = min(weak, key=lambda key: mastery[key])
            return self._item(
                module,
                subtopic,
                f"weakest area: {self._title(module, subtopic)} "
                f"({mastery[(module, subtopic)]:.0%} mastery)",
                "weakness",
            )
        for module in self.curriculum.modules.values():
            for subtopic in module.subtopics:
                if (module.id, subtopic) not in mastery and self.curriculum.select(
                    module.id, subtopic
                ):
                    return self._item(
                        module.id, subtopic, f"new topic: {self._title(module.id, subtopic)}", "new"
                    )
        keys = list(mastery)
        rng.shuffle(keys)
        module, subtopic = min(keys, key=lambda key: mastery[key])
        return self._item(
            module, subtopic, f"keep sharp: {self._title(module, subtopic)}", "review"
        )

    async def _starter_queue(self, session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
        seen = await session.scalar(
            select(func.count()).select_from(StatCounter).where(StatCounter.user_id == user_id)
        )
        if seen:
            return []
        first = next(iter(self.curriculum.modules.values()))
        return [
            self._item(
                first.id, subtopic, f"getting started: {self._title(first.id, subtopic)}", "starter"
            )
            for subtopic in first.subtopics
            if self.curriculum.select(first.id, subtopic)
        ]

    # -- helpers -------------------------------------------------------------------------------

    async def _decay_if_idle(self, session: AsyncSession, run: AutoRun, now: datetime) -> str:
        if now - run.last_activity_at <= IDLE_DECAY:
            return ""
        run.streak //= 2
        for level in await session.scalars(
            select(SubtopicLevel).where(SubtopicLevel.user_id == run.user_id)
        ):
            level.correct_run //= 2
        run.last_activity_at = now
        return "welcome back: streaks halved after a day away"

    async def _level(
        self, session: AsyncSession, user_id: int, module: str, subtopic: str, now: datetime
    ) -> SubtopicLevel:
        level = await session.get(SubtopicLevel, (user_id, module, subtopic))
        if level is None:
            level = SubtopicLevel(
                user_id=user_id,
                module=module,
                subtopic=subtopic,
                difficulty=Difficulty.BEGINNER.value,
                correct_run=0,
                failure_run=0,
                updated_at=now,
            )
            session.add(level)
        return level

    @staticmethod
    async def _active_run(session: AsyncSession, user_id: int) -> AutoRun | None:
        return await session.scalar(
            select(AutoRun)
            .where(AutoRun.user_id == user_id, AutoRun.active)
            .order_by(AutoRun.id.desc())
            .limit(1)
        )

    async def _require_run(self, session: AsyncSession, user_id: int) -> AutoRun:
        run = await self._active_run(session, user_id)
        if run is None:
            raise NoActiveRun()
        return run

    def _queue_first(self, run: AutoRun, problem: Problem, reason: str, kind: str) -> None:
        run.queue = [self._item(problem.module, problem.subtopic, reason, kind), *run.queue]

    @staticmethod
    def _item(module: str, subtopic: str, reason: str, kind: str) -> dict[str, Any]:
        return {"module": module, "subtopic": subtopic, "reason": reason, "kind": kind}

    def _title(self, module: str, subtopic: str) -> str:
        mod = self.curriculum.modules[module]
        return f"{mod.title} › {mod.subtopics[subtopic].title}"

    def _seed(self, run: AutoRun) -> int | None:
        if self.seed is None:
            return None
        return hash((self.seed, run.id, run.attempted, len(run.recent))) & 0xFFFFFFFF
