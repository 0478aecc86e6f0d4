"""New problems written by the model, shown to nobody until the sandbox has proved them.

Generation proposes, the tests decide. A draft becomes a course ``Problem`` in the place of
the example it was modelled on, then must pass exactly what ``pydojo curriculum check``
proves (``curriculum.check.check_problem``: the reference is accepted within half the time
limit, the starter, a trivial stub and every plausible wrong answer are rejected), the
reference must pass a second time, its curated hints must not give the answer away, and it
must not be a duplicate: not the same statement or tests as any problem, and behaviourally
new — its reference fails every other problem's tests of the same type, and theirs fail its.
Verified problems are stored and reused; learners get ones they have not seen, and stock is
topped up in the background after each one served, so a learner never waits on a model.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import GeneratedProblem, ProblemState
from bot.services.clock import Clock, utc_now
from curriculum import Curriculum, Difficulty, Problem, VariantCache, materialise
from curriculum.check import check_problem
from runner import Kind

from . import prompts
from .budget import Budget
from .config import TutorSettings
from .drafts import (
    DraftRejected,
    ProblemDraft,
    draft_of,
    example_json,
    statement_digest,
    tests_digest,
    to_problem,
)
from .guards import check_reply
from .model import Attempt, LanguageModel, ModelFailed
from .usage import UsageLog

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Proposal:
    """One attempt at a new problem and what the proof found."""

    source_id: str
    title: str = ""
    problem: Problem | None = None
    reasons: list[str] = field(default_factory=list)
    model: str = ""  # which model wrote it

    @property
    def accepted(self) -> bool:
        return self.problem is not None and not self.reasons


def _alias(source: str, kind: Kind, name: str, as_name: str) -> str:
    """``source`` answering to ``as_name`` as well, so renaming cannot hide a duplicate."""
    if kind is Kind.STDIO or not name or name == as_name:
        return source
    return f"{source.rstrip()}\n\n{as_name} = {name}\n"


class FreshProblems:
    def __init__(
        self,
        db: Database,
        curriculum: Curriculum,
        runner: object,
        variants: VariantCache,
        model: LanguageModel | None,
        budget: Budget,
        usage: UsageLog,
        settings: TutorSettings,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.runner = runner
        self.variants = variants
        self.model = model
        self.budget = budget
        self.usage = usage
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self._topping: dict[tuple[str, str | None], asyncio.Task[None]] = {}
        self._writing: set[asyncio.Future[Any]] = set()

    async def _db(self, work: Awaitable[T]) -> T:
        """Database work that a cancelled background task still finishes: SQLite connections
        cancelled mid-statement can hold the write lock after the engine is closed."""
        future = asyncio.ensure_future(work)
        self._writing.add(future)
        future.add_done_callback(self._writing.discard)
        return await asyncio.shield(future)

    # -- stored problems -------------------------------------------------------------------------

    async def load(self) -> int:
        """Put the stored verified problems where the practice flow finds them by id."""
        async with self.db.read() as session:
            rows = (await session.execute(select(GeneratedProblem))).scalars().all()
        loaded = 0
        for row in rows:
            if row.module not in self.curriculum.modules:
                continue
            try:
                self.curriculum.generated[row.id] = Problem.model_validate(row.body)
                loaded += 1
            except ValueError as exc:  # the schema moved on since it was stored
                log.warning("stored generated problem %s no longer loads: %s", row.id, exc)
        return loaded

    async def take(
        self, user_id: int, module: str | None = None, difficulty: Difficulty | None = None
    ) -> Problem | None:
        """A verified problem the learner has not seen; stock is topped up behind it."""
        seen = select(ProblemState.problem_id).where(ProblemState.user_id == user_id)
        query = select(GeneratedProblem.id).where(GeneratedProblem.id.not_in(seen))
        if module:
            query = query.where(GeneratedProblem.module == module)
        if difficulty:
            query = query.where(GeneratedProblem.difficulty == difficulty.value)
        async with self.db.read() as session:
            unseen = [
                pid
                for pid in await session.scalars(query.order_by(GeneratedProblem.id))
                if pid in self.curriculum.generated
            ]
        if len(unseen) <= self.settings.fresh_stock:
            self.top_up(module, difficulty, self.settings.fresh_stock + 1 - len(unseen))
        return self.curriculum.generated[self.rng.choice(unseen)] if unseen else None

    async def prime(self) -> None:
        """At start: fill each level's stock in the background, so the first learner to ask
        for a fresh problem finds one ready instead of waiting for a model."""
        if self.model is None:
            return
        stock = await self.stock()
        for level in Difficulty:
            self.top_up(None, level, self.settings.fresh_stock - stock[level.value])

    def top_up(self, module: str | None, difficulty: Difficulty | None, count: int) -> None:
        """Generate ``count`` more in the background (once at a time per module and level)."""
        if self.model is None or count <= 0:
            return
        modules = [module] if module else list(self.curriculum.modules)
        key = (module or "", difficulty.value if difficulty else None)
        running = self._topping.get(key)
        if running is not None and not running.done():
            return

        async def work() -> None:
            try:
                await self.generate(self.rng.choice(modules), count, difficulty)
            except Exception:
                log.exception("topping up fresh problems for %s failed", key)

        self._topping[key] = asyncio.create_task(work(), name=f"pydojo-fresh-{key}")

    async def close(self) -> None:
        tasks = [t for t in self._topping.values() if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*self._writing, return_exceptions=True)

    # -- generating ------------------------------------------------------------------------------

    def examples(self, module: str, difficulty: Difficulty | None) -> list[Problem]:
        """Course problems that can show the model the format: literal tests, no template."""
        found = []
        for problem in self.curriculum.select(module, None, difficulty):
            draft = draft_of(problem)
            if not problem.is_template and len(draft.examples) >= 2 and len(draft.tests) >= 5:
                found.append(problem)
        return found

    async def generate(
        self,
        module: str,
        count: int,
        difficulty: Difficulty | None = None,
        attempts: int | None = None,
    ) -> list[Proposal]:
        """Up to ``count`` new verified problems, trying at most ``attempts`` per problem
        wanted; every proposal is returned, accepted or with the reasons it was not."""
        if self.model is None:
            raise RuntimeError("no model configured")
        examples = self.examples(module, difficulty)
        if not examples:
            return [
                Proposal(
                    module,
                    reasons=[
                        "no problem in this module can serve as an "
                        "example (literal tests, not a template)"
                    ],
                )
            ]
        proposals: list[Proposal] = []
        tries = count * (attempts or self.settings.fresh_attempts)
        while sum(p.accepted for p in proposals) < count and len(proposals) < tries:
            if await self._db(self.budget.operator_limit(None, generation=True)):
                proposals.append(Proposal(module, reasons=["today's generation budget is spent"]))
                break
            proposal = await self.propose(self._pick(examples))
            proposals.append(proposal)
            if proposal.accepted and proposal.problem is not None:
                await self._db(self._store(proposal))
                log.info("fresh problem %s accepted (%s)", proposal.problem.id, proposal.title)
            else:
                log.info("fresh problem rejected: %s", "; ".join(proposal.reasons))
        return proposals

    def _pick(self, examples: list[Problem]) -> Problem:
        """An example of the problem type with the fewest generated problems so far."""
        have = Counter(
            (p.module, p.subtopic, p.problem_type) for p in self.curriculum.generated.values()
        )
        fewest = min(have[(p.module, p.subtopic, p.problem_type)] for p in examples)
        return self.rng.choice(
            [p for p in examples if have[(p.module, p.subtopic, p.problem_type)] == fewest]
        )

    def _siblings(self, problem: Problem) -> list[Problem]:
        every = [*self.curriculum.problems.values(), *self.curriculum.generated.values()]
        return [
            p
            for p in every
            if p.id != problem.id
            and p.module == problem.module
            and p.subtopic == problem.subtopic
            and p.problem_type == problem.problem_type
        ]

    async def propose(self, example: Problem) -> Proposal:
        assert self.model is not None
        module = self.curriculum.modules[example.module]
        kind = module.subtopics[example.subtopic].types[example.problem_type]
        request = prompts.variant(
            example_json(example),
            kind.title,
            kind.overview,
            example.difficulty.value,
            example.kind,
            sorted({p.title for p in self._siblings(example)} | {example.title}),
        )
        proposal = Proposal(example.id)
        try:
            answer = await self.model.generate(request)
        except ModelFailed as exc:
            await self._record(exc.attempts, example)
            proposal.reasons.append(f"the model gave no usable answer ({exc.outcome.value})")
            return proposal
        await self._record(answer.attempts, example)
        assert isinstance(answer.parsed, ProblemDraft)
        proposal.title = answer.parsed.title
        try:
            problem = to_problem(answer.parsed, example)
        except DraftRejected as exc:
            proposal.reasons.append(str(exc))
            return proposal
        proposal.problem, proposal.model = problem, answer.model
        proposal.reasons = await self.prove(problem)
        return proposal

    async def _record(self, attempts: tuple[Attempt, ...], example: Problem) -> None:
        await self._db(
            self.usage.record_attempts(
                attempts, feature="variant", user_id=None, guild_id=None, problem_id=example.id
            )
        )

    async def prove(self, problem: Problem) -> list[str]:
        """Why ``problem`` may not be shown (nothing: it may)."""
        reasons = self._exact_duplicates(problem)
        if reasons:
            return reasons  # no sandbox time for a copy
        if not problem.wrong_solutions:
            return ["no plausible wrong answer to prove the tests catch mistakes"]
        reasons += [
            f.removeprefix(f"{problem.id}: ") for f in await check_problem(problem, self.runner)
        ]  # type: ignore[arg-type]
        if reasons:
            return reasons
        variant = await materialise(problem, 0, self.runner)  # type: ignore[arg-type]
        again = await self.runner.judge(variant.solution, variant.spec)  # type: ignore[attr-defined]
        if not again.accepted:
            return [f"the reference passed once but not twice ({again.summary})"]
        for number, hint in enumerate(variant.hints, 1):
            checked = await check_reply(hint, variant, self.runner)
            if not checked.ok:
                return [f"hint {number} gives the answer away ({checked.detail})"]
        return await self._behaves_like(problem, variant)

    def _exact_duplicates(self, problem: Problem) -> list[str]:
        statement, tests = statement_digest(problem), tests_digest(problem)
        title = problem.title.casefold()
        every = [*self.curriculum.problems.values(), *self.curriculum.generated.values()]
        for other in every:
            if other.id == problem.id:
                return [f"a duplicate of {other.id} (the same draft)"]
            if statement_digest(other) == statement:
                return [f"a duplicate of {other.id} (the same statement)"]
            if tests_digest(other) == tests:
                return [f"a duplicate of {other.id} (the same tests)"]
            if other.title.casefold() == title:
                return [f"a duplicate of {other.id} (the same title)"]
        return []

    async def _behaves_like(self, problem: Problem, variant: object) -> list[str]:
        for other in self._siblings(problem):
            if other.kind is not problem.kind:
                continue
            theirs = await self.variants.get(other, 0)
            mine = _alias(problem.solution, problem.kind, problem.entry_point, other.entry_point)
            verdict = await self.runner.judge(mine, theirs.spec)  # type: ignore[attr-defined]
            if verdict.accepted:
                return [
                    f"a duplicate of {other.id} in behaviour: its reference passes "
                    f"{other.id}'s tests"
                ]
            back = _alias(theirs.solution, other.kind, other.entry_point, problem.entry_point)
            verdict = await self.runner.judge(back, variant.spec)  # type: ignore[attr-defined]
            if verdict.accepted:
                return [
                    f"a duplicate of {other.id} in behaviour: {other.id}'s reference passes "
                    "its tests"
                ]
        return []

    async def _store(self, proposal: Proposal) -> None:
        problem = proposal.problem
        assert problem is not None
        async with self.db.write() as session:
            session.add(
                GeneratedProblem(
                    id=problem.id,
                    module=problem.module,
                    subtopic=problem.subtopic,
                    problem_type=problem.problem_type,
                    difficulty=problem.difficulty.value,
                    source_problem_id=proposal.source_id,
                    statement_digest=statement_digest(problem),
                    tests_digest=tests_digest(problem),
                    body=problem.model_dump(mode="json"),
                    model=proposal.model,
                    prompt_version=prompts.VARIANT.version,
                    created_at=self.clock(),
                )
            )
        self.curriculum.generated[problem.id] = problem

    async def stock(self, module: str | None = None) -> Counter[str]:
        """Stored verified problems per difficulty."""
        query = select(GeneratedProblem.difficulty, func.count()).group_by(
            GeneratedProblem.difficulty
        )
        if module:
            query = query.where(GeneratedProblem.module == module)
        async with self.db.read() as session:
            return Counter(dict((await session.execute(query)).all()))
