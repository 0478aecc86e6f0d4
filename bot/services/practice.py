"""Practice from start to verdict, as the bot's cogs use it: choose, judge, record.

Everything a chat front end needs, with no Discord in it. A problem is always named by its
``ProblemRef`` (problem id, variant seed): what a learner submits is judged against the variant
that was on their screen, which becomes their current problem if it was not already.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select

from bot.db import Database
from bot.db.models import PracticeSession, ProblemState, Submission
from curriculum import Curriculum, Difficulty, Problem, Variant, VariantCache, pick_problem
from curriculum.variants import fill
from runner import Runner, RunResult, RunStatus, Status, Verdict

from .automode import AutoModeService, AutoPick
from .catalog import ProblemRef, find_module, find_problem
from .daily import DailyService
from .errors import NoActiveRun, NoCurrentProblem, NothingMatches, ProblemGone
from .gate import JobGate
from .levels import fitting_difficulty, solved_by_difficulty
from .progress import ProgressService, Recorded, SubmissionIn
from .sessions import HintResult, PracticeService
from .source import check_source

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Where:
    """Where a learner acts from, as the records keep it."""

    context: str  # dm | guild | thread | cli
    guild_id: int | None = None
    channel_id: int | None = None
    own_thread: bool = False  # channel_id is the learner's own practice thread
    cooldown_seconds: float | None = None  # the server's, between submissions; None: the bot's


@dataclass(frozen=True)
class Offered:
    """A problem put in front of a learner."""

    problem: Problem
    variant: Variant
    reason: str = ""  # auto mode's explanation
    for_level: Difficulty | None = None  # chosen to fit the learner's record
    new_to_module: bool = False  # the learner's first problem of its module: its notes first

    @property
    def ref(self) -> ProblemRef:
        return ProblemRef(self.problem.id, self.variant.seed)


@dataclass(frozen=True)
class Judged:
    problem: Problem
    variant: Variant
    verdict: Verdict
    recorded: Recorded | None  # None when the sandbox failed: nothing was counted
    reveal_allowed: bool
    switched: bool  # the submission made this problem the learner's current one
    hidden_note: str | None = None  # what the failing hidden test checks, if the author said

    @property
    def ref(self) -> ProblemRef:
        return ProblemRef(self.problem.id, self.variant.seed)


@dataclass(frozen=True)
class Hinted:
    problem: Problem
    variant: Variant
    hints: HintResult
    reveal_allowed: bool
    switched: bool


def hidden_note(variant: Variant, verdict: Verdict) -> str | None:
    """The author's note on the first failing test, when that test is hidden: advice that
    names no test and no value."""
    failed = verdict.failed
    if failed is None or not failed.hidden or not failed.note:
        return None
    return fill(failed.note.strip(), variant.params) or None


class PracticeFlow:
    def __init__(
        self,
        db: Database,
        curriculum: Curriculum,
        runner: Runner,
        variants: VariantCache,
        sessions: PracticeService,
        progress: ProgressService,
        automode: AutoModeService,
        gate: JobGate,
        daily: DailyService | None = None,
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.runner = runner
        self.variants = variants
        self.sessions = sessions
        self.progress = progress
        self.automode = automode
        self.gate = gate
        self.daily = daily
        # One learner's switches of the current problem, and what reads it right after (a hint,
        # a reveal), happen one at a time: two buttons pressed together each act on their own
        # problem. Held only while switching, never while judging.
        self._switching: weakref.WeakValueDictionary[int, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def _switch(self, user_id: int) -> asyncio.Lock:
        lock = self._switching.get(user_id)
        if lock is None:
            lock = self._switching[user_id] = asyncio.Lock()
        return lock

    # -- choosing ----------------------------------------------------------------------------

    def check_choice(
        self,
        *,
        module: str | None = None,
        difficulty: Difficulty | None = None,
        problem: str | None = None,
    ) -> None:
        """Raise now, before anything slow, for a choice that cannot be served."""
        if problem:
            find_problem(self.curriculum, problem)
            return
        module_id = find_module(self.curriculum, module).id if module else None
        if not self.curriculum.select(module_id, None, difficulty):
            raise NothingMatches(
                self.curriculum.modules[module_id].title if module_id else None, difficulty
            )

    async def offer(
        self,
        user_id: int,
        where: Where,
        *,
        module: str | None = None,
        difficulty: Difficulty | None = None,
        problem: str | None = None,
        at_least: Difficulty | None = None,
        other_than: str | None = None,
        rng: random.Random | None = None,
    ) -> Offered:
        """A problem by id or title, or one picked from a module (id or title) and difficulty;
        with no difficulty, the one that fits the learner's record (never below
        ``at_least``); never ``other_than`` while anything else matches."""
        self.check_choice(module=module, difficulty=difficulty, problem=problem)
        level = None
        if problem:
            chosen = find_problem(self.curriculum, problem)
        else:
            module_id = find_module(self.curriculum, module).id if module else None
            if difficulty is None:
                fit = fitting_difficulty(await solved_by_difficulty(self.db, user_id, module_id))
                if at_least is not None and at_least.rank > fit.rank:
                    fit = at_least
                difficulty = level = self._nearest_served(module_id, fit, other_than)
            solved, recent = await self._history(user_id)
            picked = pick_problem(
                self.curriculum,
                module=module_id,
                difficulty=difficulty,
                solved=solved,
                recent=recent,
                exclude={other_than} if other_than else (),
                rng=rng,
            ) or pick_problem(self.curriculum, module=module_id, difficulty=difficulty, rng=rng)
            assert picked is not None  # check_choice and _nearest_served saw candidates
            chosen = picked
        variant = await self.variants.get(chosen, 0)
        first = await self._new_to_module(user_id, chosen)
        async with self._switch(user_id):
            await self.sessions.start(
                user_id,
                chosen.id,
                0,
                context=where.context,
                guild_id=where.guild_id,
                channel_id=where.channel_id,
            )
            await self._follow(user_id, where, ProblemRef(chosen.id, 0))
        return Offered(chosen, variant, for_level=level, new_to_module=first)

    async def next_problem(self, user_id: int, where: Where, *, auto: bool | None) -> Offered:
        """Next after a verdict (auto mode's or practice's), or a skip (``auto=None``: whichever
        mode the current problem belongs to)."""
        session = await self.sessions.current(user_id)
        if auto is None and session is not None and session.auto_run_id is not None:
            try:
                async with self._switch(user_id):
                    pick = await self.automode.skip(user_id)
                return await self.offer_auto(user_id, pick, where)
            except NoActiveRun:
                pass  # the run was stopped: skip like practice does
        elif auto:
            async with self._switch(user_id):
                pick = await self.automode.next(user_id)
            return await self.offer_auto(user_id, pick, where)
        current = self.curriculum.get(session.problem_id) if session else None
        if current is None:
            return await self.offer(user_id, where)
        # The same module while it has something new; else anywhere, never the same problem.
        solved, _ = await self._history(user_id)
        stay = any(
            p.id != current.id and p.id not in solved
            for p in self.curriculum.select(current.module, None, None)
        )
        return await self.offer(
            user_id,
            where,
            module=current.module if stay else None,
            at_least=current.difficulty if stay else None,
            other_than=current.id,
        )

    async def start_auto(self, user_id: int, where: Where) -> Offered:
        async with self._switch(user_id):
            pick = await self.automode.start(user_id)
        return await self.offer_auto(user_id, pick, where)

    async def offer_auto(self, user_id: int, pick: AutoPick, where: Where) -> Offered:
        variant = await self.variants.get(pick.problem, 0)
        first = await self._new_to_module(user_id, pick.problem)
        await self._follow(user_id, where, ProblemRef(pick.problem.id, 0))
        return Offered(pick.problem, variant, pick.reason, new_to_module=first)

    async def current(self, user_id: int) -> tuple[PracticeSession, Problem, Variant]:
        session = await self.sessions.current(user_id)
        if session is None:
            raise NoCurrentProblem()
        problem = self.curriculum.get(session.problem_id)
        if problem is None:
            raise ProblemGone(session.problem_id)
        return session, problem, await self.variants.get(problem, session.variant_seed)

    async def current_ref(self, user_id: int) -> ProblemRef:
        session = await self.sessions.current(user_id)
        if session is None:
            raise NoCurrentProblem()
        return ProblemRef(session.problem_id, session.variant_seed)

    async def ensure_current(self, user_id: int, ref: ProblemRef, where: Where) -> bool:
        """Make the variant on the learner's screen their current problem; True if it was not.

        A switch back to auto mode's current problem stays in the run, and the server's daily
        challenge variant keeps counting as the daily."""
        async with self._switch(user_id):
            return await self._ensure_current(user_id, ref, where)

    async def switch_then(
        self,
        user_id: int,
        ref: ProblemRef | None,
        where: Where,
        read: Callable[[], Awaitable[T]],
    ) -> tuple[T, bool]:
        """``ref`` made current (when given), then ``read`` of it, with no switch in between."""
        async with self._switch(user_id):
            switched = ref is not None and await self._ensure_current(user_id, ref, where)
            return await read(), switched

    async def _ensure_current(self, user_id: int, ref: ProblemRef, where: Where) -> bool:
        session = await self.sessions.current(user_id)
        switched = session is None or ProblemRef(session.problem_id, session.variant_seed) != ref
        if switched:
            if self.curriculum.get(ref.problem_id) is None:
                raise ProblemGone(ref.problem_id)
            run_id = (
                await self.automode.run_serving(user_id, ref.problem_id) if ref.seed == 0 else None
            )
            challenge = (
                await self.daily.matching(where.guild_id, ref.problem_id, ref.seed)
                if self.daily is not None and where.guild_id is not None
                else None
            )
            await self.sessions.start(
                user_id,
                ref.problem_id,
                ref.seed,
                context=where.context,
                guild_id=where.guild_id,
                channel_id=where.channel_id,
                auto_run_id=run_id,
                daily_challenge_id=challenge.id if challenge else None,
            )
        await self._follow(user_id, where, ref)
        return switched

    async def _follow(self, user_id: int, where: Where, shown: ProblemRef) -> None:
        """Acting from inside their own thread moves the thread to the problem acted on."""
        if where.own_thread and where.channel_id is not None:
            await self.sessions.show_in_thread(user_id, where.channel_id, where.guild_id, shown)

    def _nearest_served(
        self, module: str | None, level: Difficulty, other_than: str | None = None
    ) -> Difficulty:
        """The difficulty nearest ``level`` with a problem (besides ``other_than``) to serve."""
        by_distance = sorted(Difficulty, key=lambda d: (abs(d.rank - level.rank), d.rank))
        served = (
            d
            for d in by_distance
            if any(p.id != other_than for p in self.curriculum.select(module, None, d))
        )
        return next(served, level)

    # -- judging ------------------------------------------------------------------------------

    async def submit(
        self,
        user_id: int,
        source: str | bytes,
        ref: ProblemRef,
        where: Where,
        *,
        order: int | None = None,
    ) -> Judged:
        """Judge code against ``ref`` (the variant the learner answered) and record it.

        Chat messages pass an ``order`` (when they were written): one still waiting gives way to
        a newer one (``Superseded``)."""
        text = check_source(source)
        async with self.gate.slot(user_id, order=order, cooldown=where.cooldown_seconds):
            switched = await self.ensure_current(user_id, ref, where)
            # Judged against ``ref`` itself: the current problem may be changing meanwhile (a
            # Hint pressed elsewhere at the same moment).
            problem = self.curriculum.get(ref.problem_id)
            if problem is None:
                raise ProblemGone(ref.problem_id)
            variant = await self.variants.get(problem, ref.seed)
            started = time.perf_counter()
            verdict = await self.runner.judge(text, variant.spec, owner=str(user_id))
            waited_ms = round((time.perf_counter() - started) * 1000)
            recorded = None
            if verdict.status is Status.SANDBOX_ERROR:
                log.warning(
                    "sandbox error judging user=%s problem=%s ms=%d: %s",
                    user_id,
                    ref,
                    waited_ms,
                    verdict.error.message if verdict.error else "",
                )
            else:
                recorded = await self.progress.record(
                    SubmissionIn(
                        user_id=user_id,
                        problem=problem,
                        source=text,
                        verdict=verdict,
                        seed=ref.seed,
                        context=where.context,
                        guild_id=where.guild_id,
                        channel_id=where.channel_id,
                    )
                )
                log.info(
                    "judged user=%s problem=%s status=%s passed=%d/%d ms=%d",
                    user_id,
                    ref,
                    verdict.status.value,
                    verdict.passed,
                    verdict.total,
                    waited_ms,
                )
        allowed = await self.sessions.can_reveal(user_id)
        return Judged(
            problem, variant, verdict, recorded, allowed, switched, hidden_note(variant, verdict)
        )

    async def run(
        self, user_id: int, source: str, stdin: str, *, python: str | None = None
    ) -> RunResult:
        """Free-form execution, one job per learner like submissions; ``python``: another
        Python series than the judging one."""
        text = check_source(source)
        async with self.gate.slot(user_id):
            result = await self.runner.run(text, stdin, owner=str(user_id), python=python)
        if result.status is RunStatus.SANDBOX_ERROR:
            log.warning("sandbox error running code for user=%s: %s", user_id, result.message)
        return result

    # -- hints and solutions -----------------------------------------------------------------

    async def hint(self, user_id: int, ref: ProblemRef | None, where: Where) -> Hinted:
        async with self._switch(user_id):
            switched = ref is not None and await self._ensure_current(user_id, ref, where)
            _, problem, variant = await self.current(user_id)
            hints = await self.sessions.next_hint(user_id)
            allowed = await self.sessions.can_reveal(user_id)
        return Hinted(problem, variant, hints, allowed, switched)

    async def reveal(
        self, user_id: int, ref: ProblemRef | None, where: Where
    ) -> tuple[Problem, Variant, bool]:
        async with self._switch(user_id):
            switched = ref is not None and await self._ensure_current(user_id, ref, where)
            _, problem, variant = await self.current(user_id)
            await self.sessions.reveal(user_id)
        return problem, variant, switched

    async def _new_to_module(self, user_id: int, problem: Problem) -> bool:
        """No other problem of ``problem``'s module was ever put before the learner."""
        async with self.db.read() as session:
            seen = set(
                await session.scalars(
                    select(ProblemState.problem_id).where(ProblemState.user_id == user_id)
                )
            )
        return not any(
            (other := self.curriculum.get(pid)) is not None and other.module == problem.module
            for pid in seen - {problem.id}
        )

    async def _history(self, user_id: int) -> tuple[set[str], list[str]]:
        async with self.db.read() as session:
            solved = set(
                await session.scalars(
                    select(ProblemState.problem_id).where(
                        ProblemState.user_id == user_id, ProblemState.solved
                    )
                )
            )
            recent = list(
                await session.scalars(
                    select(Submission.problem_id)
                    .where(Submission.user_id == user_id)
                    .order_by(Submission.id.desc())
                    .limit(10)
                )
            )
            current = await session.get(PracticeSession, user_id)
        if current is not None:
            recent.insert(0, current.problem_id)
        return solved, list(dict.fromkeys(recent))
