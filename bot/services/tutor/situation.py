"""The learner's situation as a tutor sees it: the problem on their screen, their latest code
on it, how it was judged, the curated hints already shown.

Verdicts are remembered as the practice flow's judge gives them (``RememberingJudge`` wraps
the flow's runner), so "Explain" right after a verdict looks at exactly that verdict. After
a restart the latest code is judged again; judging is deterministic for the code learners
write here, and it never records anything.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from sqlalchemy import select

from bot.db import Database
from bot.db.models import PracticeSession, ProblemState, Submission
from bot.services.errors import NoCurrentProblem, ProblemGone
from curriculum import Curriculum, VariantCache
from runner import JudgeSpec, Status, Verdict

from .prompts import Situation


class RememberingJudge:
    """A runner that remembers its latest verdicts by (spec, source); everything else is the
    inner runner's."""

    def __init__(self, inner: Any, size: int = 2048) -> None:
        self.inner = inner
        self.size = size
        # spec objects are shared by the variant cache; holding the spec keeps its id unique
        self._seen: OrderedDict[tuple[int, str], tuple[JudgeSpec, Verdict]] = OrderedDict()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @staticmethod
    def _digest(source: str) -> str:
        return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()

    async def judge(self, source: str, spec: JudgeSpec, *, owner: str | None = None) -> Verdict:
        verdict: Verdict = await self.inner.judge(source, spec, owner=owner)
        if verdict.status is not Status.SANDBOX_ERROR:
            key = (id(spec), self._digest(source))
            self._seen[key] = (spec, verdict)
            self._seen.move_to_end(key)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
        return verdict

    def remembered(self, source: str, spec: JudgeSpec) -> Verdict | None:
        found = self._seen.get((id(spec), self._digest(source)))
        return found[1] if found is not None and found[0] is spec else None


class Situations:
    def __init__(
        self,
        db: Database,
        curriculum: Curriculum,
        variants: VariantCache,
        judge: RememberingJudge | Any,
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.variants = variants
        self.judge = judge

    async def current(self, user_id: int) -> Situation:
        async with self.db.read() as session:
            current = await session.get(PracticeSession, user_id)
            if current is None:
                raise NoCurrentProblem()
            latest = (
                await session.execute(
                    select(Submission.source, Submission.verdict)
                    .where(
                        Submission.user_id == user_id,
                        Submission.problem_id == current.problem_id,
                        Submission.variant_seed == current.variant_seed,
                    )
                    .order_by(Submission.id.desc())
                    .limit(1)
                )
            ).one_or_none()
            state = await session.get(ProblemState, (user_id, current.problem_id))
        problem = self.curriculum.get(current.problem_id)
        if problem is None:
            raise ProblemGone(current.problem_id)
        variant = await self.variants.get(problem, current.variant_seed)
        code = latest.source if latest is not None else None
        verdict = await self._verdict(code, variant.spec, user_id) if code is not None else None
        shown = variant.hints[: max(0, min(current.hints_shown, len(variant.hints)))]
        return Situation(variant, code, verdict, tuple(shown), bool(state and state.solved))

    async def _verdict(self, code: str, spec: JudgeSpec, user_id: int) -> Verdict | None:
        remembered = getattr(self.judge, "remembered", None)
        if remembered is not None and (found := remembered(code, spec)) is not None:
            return found
        verdict: Verdict = await self.judge.judge(code, spec, owner=str(user_id))
        return None if verdict.status is Status.SANDBOX_ERROR else verdict
