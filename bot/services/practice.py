"""Practice from start to verdict, as the bot's cogs use it: choose, judge, record.

Everything a chat front end needs, with no Discord in it: choosing a problem, one submission at
a time per learner with a cooldown, input checks, judging the learner's own variant and
recording the result (never for a sandbox failure).
"""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select

from bot.db import Database
from bot.db.models import PracticeSession, ProblemState, Submission
from curriculum import Curriculum, Difficulty, Problem, Variant, VariantCache, pick_problem
from runner import Runner, Status, Verdict

from .automode import AutoModeService, AutoPick
from .daily import DailyService
from .progress import ProgressService, Recorded, SubmissionIn
from .sessions import HintResult, NoCurrentProblem, PracticeService

MAX_SOURCE_BYTES = 64 * 1024


class PracticeError(Exception):
    """Something the learner can fix; the message says how, kindly."""


class Busy(PracticeError):
    pass


class CoolingDown(PracticeError):
    pass


class BadSource(PracticeError):
    pass


def check_source(data: bytes | str) -> str:
    """Code as text, or a friendly reason it cannot be judged."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_SOURCE_BYTES:
        raise BadSource(f"That code is {len(raw) // 1024} KiB; the limit is "
                        f"{MAX_SOURCE_BYTES // 1024} KiB. Solutions here are usually short!")
    if b"\x00" in raw:
        raise BadSource("That looks like a binary file, not Python source.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSource("That file is not UTF-8 text; save it as UTF-8 and try again "
                        f"(byte {exc.start} is not valid).") from None
    if not text.strip():
        raise BadSource("There is no code in there.")
    return text


class JobGate:
    """One submission per learner at a time, and a short cooldown between them."""

    def __init__(self, cooldown_seconds: float = 3.0) -> None:
        self.cooldown = cooldown_seconds
        self._running: set[int] = set()
        self._last: dict[int, float] = {}

    @asynccontextmanager
    async def slot(self, user_id: int) -> AsyncIterator[None]:
        if user_id in self._running:
            raise Busy("You already have a submission running; its verdict is on the way.")
        wait = self._last.get(user_id, 0.0) + self.cooldown - time.monotonic()
        if wait > 0:
            raise CoolingDown(f"Easy there! Try again in {wait:.0f} s.")
        self._running.add(user_id)
        try:
            yield
        finally:
            self._running.discard(user_id)
            self._last[user_id] = time.monotonic()


@dataclass(frozen=True)
class Offered:
    """A problem put in front of a learner."""

    problem: Problem
    variant: Variant
    reason: str = ""


@dataclass(frozen=True)
class Judged:
    problem: Problem
    variant: Variant
    verdict: Verdict
    recorded: Recorded | None  # None when the sandbox failed: nothing was counted
    reveal_allowed: bool


class PracticeFlow:
    def __init__(self, db: Database, curriculum: Curriculum, runner: Runner,
                 variants: VariantCache, sessions: PracticeService, progress: ProgressService,
                 automode: AutoModeService, gate: JobGate,
                 daily: DailyService | None = None) -> None:
        self.db = db
        self.curriculum = curriculum
        self.runner = runner
        self.variants = variants
        self.sessions = sessions
        self.progress = progress
        self.automode = automode
        self.gate = gate
        self.daily = daily

    # -- choosing ----------------------------------------------------------------------------

    async def offer(self, user_id: int, *, module: str | None = None,
                    difficulty: Difficulty | None = None, problem_id: str | None = None,
                    context: str, guild_id: int | None = None, channel_id: int | None = None,
                    rng: random.Random | None = None) -> Offered:
        if problem_id:
            problem = self.curriculum.get(problem_id)
            if problem is None:
                raise PracticeError(f"There is no problem called `{problem_id}`.")
        else:
            if module and module not in self.curriculum.modules:
                raise PracticeError(f"There is no module called `{module}`.")
            solved, recent = await self._history(user_id)
            problem = pick_problem(self.curriculum, module=module, difficulty=difficulty,
                                   solved=solved, recent=recent, rng=rng)
            if problem is None:
                raise PracticeError("No problem matches that choice.")
        variant = await self.variants.get(problem, 0)
        await self.sessions.start(user_id, problem.id, 0, context=context, guild_id=guild_id,
                                  channel_id=channel_id)
        return Offered(problem, variant)

    async def offer_auto(self, pick: AutoPick) -> Offered:
        return Offered(pick.problem, await self.variants.get(pick.problem, 0), pick.reason)

    async def current(self, user_id: int) -> tuple[PracticeSession, Problem, Variant]:
        session = await self.sessions.current(user_id)
        if session is None:
            raise NoCurrentProblem("You have no current problem: start one with /practice.")
        problem = self.curriculum.get(session.problem_id)
        if problem is None:
            raise PracticeError("Your current problem is no longer in the course; "
                                "pick another with /practice.")
        return session, problem, await self.variants.get(problem, session.variant_seed)

    async def ensure_current(self, user_id: int, problem_id: str, seed: int, *, context: str,
                             guild_id: int | None = None, channel_id: int | None = None
                             ) -> None:
        """A button on an older message: make its problem the learner's current one."""
        session = await self.sessions.current(user_id)
        if session is not None and session.problem_id == problem_id:
            return
        if self.curriculum.get(problem_id) is None:
            raise PracticeError("That problem is no longer in the course; "
                                "start a new one with /practice.")
        challenge = (await self.daily.matching(guild_id, problem_id)
                     if self.daily is not None and guild_id is not None else None)
        await self.sessions.start(user_id, problem_id, seed, context=context, guild_id=guild_id,
                                  channel_id=channel_id,
                                  daily_challenge_id=challenge.id if challenge else None)

    # -- judging ------------------------------------------------------------------------------

    async def submit(self, user_id: int, source: str | bytes, *, context: str,
                     guild_id: int | None = None, channel_id: int | None = None) -> Judged:
        text = check_source(source)
        async with self.gate.slot(user_id):
            session, problem, variant = await self.current(user_id)
            verdict = await self.runner.judge(text, variant.spec, owner=str(user_id))
            recorded = None
            if verdict.status is not Status.SANDBOX_ERROR:
                recorded = await self.progress.record(SubmissionIn(
                    user_id=user_id, problem=problem, source=text, verdict=verdict,
                    seed=session.variant_seed, context=context, guild_id=guild_id,
                    channel_id=channel_id))
        allowed = await self.sessions.can_reveal(user_id)
        return Judged(problem, variant, verdict, recorded, allowed)

    # -- hints and solutions -----------------------------------------------------------------

    async def hint(self, user_id: int) -> tuple[Problem, Variant, HintResult]:
        _, problem, variant = await self.current(user_id)
        return problem, variant, await self.sessions.next_hint(user_id)

    async def reveal(self, user_id: int) -> tuple[Problem, Variant]:
        _, problem, variant = await self.current(user_id)
        await self.sessions.reveal(user_id)
        return problem, variant

    async def _history(self, user_id: int) -> tuple[set[str], list[str]]:
        async with self.db.read() as session:
            solved = set(await session.scalars(select(ProblemState.problem_id).where(
                ProblemState.user_id == user_id, ProblemState.solved)))
            recent = list(await session.scalars(
                select(Submission.problem_id).where(Submission.user_id == user_id)
                .order_by(Submission.id.desc()).limit(10)))
            current = await session.get(PracticeSession, user_id)
        if current is not None:
            recent.insert(0, current.problem_id)
        return solved, list(dict.fromkeys(recent))
