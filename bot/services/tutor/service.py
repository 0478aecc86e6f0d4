"""The tutor: tailored hints, explanations of a failure, reviews, and questions answered.

An addition, never a dependency: with no model configured, or when the model, a budget or a
check says no, every action still answers with curated content and the reason it did. What a
reply may contain is decided in code (``guards``), never left to the prompt. Like the rest of
the services this says what happened, never in words: the edge words it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.db import Database
from bot.db.models import HintEvent, PracticeSession
from bot.services.catalog import ProblemRef
from bot.services.clock import Clock, utc_now
from bot.services.errors import AlreadySolved, BadQuestion, NothingToExplain, ReviewLocked
from bot.services.practice import Hinted, PracticeFlow, Where
from runner import Verdict

from . import prompts
from .budget import Budget, Hearts, OutOfHearts
from .config import TutorSettings
from .guards import check_reply
from .memory import AnswerCache, Conversation, cache_key
from .model import LanguageModel, ModelAnswer, ModelFailed, ModelRequest
from .prompts import AskAnswer, Situation
from .situation import Situations
from .usage import UsageLog, UsageReport

log = logging.getLogger(__name__)

MAX_QUESTION = 1000
# Why curated content was served instead of an AI answer (besides every ``Outcome`` value):
OFF = "off"  # no Gemini key
NO_CODE = "no_code"  # nothing submitted yet to look at
HEARTS = "hearts"  # the learner's hearts are spent
SERVER_CAP = "server_cap"  # the server's requests for today are spent
SERVER_OFF = "server_off"  # the server's managers switched the tutor off (/settings)
DAILY_TOKENS = "daily_tokens"  # the bot's tokens for today are spent
REFUSED = "refused"  # the reply failed the checks (it would give the answer away)


class Served(StrEnum):
    AI = "ai"
    CACHED = "cached"  # an AI answer given before to the same question
    CURATED = "curated"  # the course's own content


@dataclass(frozen=True)
class TutorReply:
    feature: str  # hint | explain | review | ask
    served: Served
    situation: Situation  # the problem, the code and verdict the answer is about
    text: str | None = None  # the AI's answer (Markdown); None when curated
    reason: str = ""  # why curated content came instead; "" for an AI answer
    hearts: Hearts | None = None  # None when the tutor is off
    hinted: Hinted | None = None  # the curated hint shown instead (hint only)
    model: str = ""
    switched: bool = False  # acting on a button made this the learner's current problem

    @property
    def from_ai(self) -> bool:
        return self.served is not Served.CURATED

    @property
    def ref(self) -> ProblemRef:
        return ProblemRef(self.situation.problem.id, self.situation.variant.seed)


@dataclass(frozen=True)
class _Answered:
    text: str
    served: Served
    hearts: Hearts | None
    model: str


class Tutor:
    def __init__(
        self,
        db: Database,
        runner: object,
        situations: Situations,
        flow: PracticeFlow,
        model: LanguageModel | None,
        settings: TutorSettings,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.runner = runner
        self.situations = situations
        self.flow = flow
        self.model = model
        self.settings = settings
        self.clock = clock
        self.budget = Budget(db, settings, clock)
        self.usage = UsageLog(db, clock)
        self.cache = AnswerCache(db, settings.cache_days, clock)
        self.conversation = Conversation(db, clock)

    @property
    def enabled(self) -> bool:
        return self.model is not None

    async def close(self) -> None:
        if self.model is not None:
            await self.model.close()

    async def _situation(
        self, user_id: int, ref: ProblemRef | None, where: Where
    ) -> tuple[Situation, bool]:
        """The learner's situation on ``ref`` (a button's problem), or on their current one."""
        return await self.flow.switch_then(
            user_id, ref, where, lambda: self.situations.current(user_id)
        )

    # -- the four actions ------------------------------------------------------------------------

    async def hint(self, user_id: int, ref: ProblemRef | None, where: Where) -> TutorReply:
        """A hint built from the learner's code and verdict; the next curated hint when the
        tutor is off, out of budget, failing, or its reply gives the answer away."""
        situation, switched = await self._situation(user_id, ref, where)
        if situation.code is None:
            return await self._curated_hint(user_id, where, situation, NO_CODE, switched)
        if situation.verdict is not None and situation.verdict.accepted:
            raise AlreadySolved()
        answer = await self._answer(
            user_id, where, situation, prompts.HINT, lambda: prompts.hint(situation), guarded=True
        )
        if isinstance(answer, str):
            return await self._curated_hint(user_id, where, situation, answer, switched)
        async with self.db.write() as session:
            current = await session.get(PracticeSession, user_id)
            session.add(
                HintEvent(
                    user_id=user_id,
                    problem_id=situation.problem.id,
                    variant_seed=situation.variant.seed,
                    kind="ai_hint",
                    level=(current.hints_shown if current else 0) + 1,
                    created_at=self.clock(),
                )
            )
        return self._reply("hint", answer, situation, switched)

    async def explain(self, user_id: int, ref: ProblemRef | None, where: Where) -> TutorReply:
        """What is wrong and where, in the learner's terms, without the fix."""
        situation, switched = await self._situation(user_id, ref, where)
        if situation.code is None:
            raise NothingToExplain("no_attempt")
        if situation.verdict is None:
            raise NothingToExplain("unjudged")
        if situation.verdict.accepted:
            raise NothingToExplain("accepted")
        answer = await self._answer(
            user_id,
            where,
            situation,
            prompts.EXPLAIN,
            lambda: prompts.explain(situation),
            guarded=True,
        )
        return self._finish("explain", answer, situation, switched, await self._hearts(user_id))

    async def review(self, user_id: int, ref: ProblemRef | None, where: Where) -> TutorReply:
        """Feedback on accepted code; code is fine to show here: the problem is solved."""
        situation, switched = await self._situation(user_id, ref, where)
        if situation.verdict is None or not situation.verdict.accepted:
            raise ReviewLocked()
        answer = await self._answer(
            user_id,
            where,
            situation,
            prompts.REVIEW,
            lambda: prompts.review(situation),
            guarded=False,
        )
        return self._finish("review", answer, situation, switched, await self._hearts(user_id))

    async def ask(
        self, user_id: int, question: str, ref: ProblemRef | None, where: Where
    ) -> TutorReply:
        """A question about the problem, with the conversation so far remembered."""
        question = question.strip()
        if not question or len(question) > MAX_QUESTION:
            raise BadQuestion(len(question), MAX_QUESTION)
        situation, switched = await self._situation(user_id, ref, where)
        history = await self.conversation.history(
            user_id, situation.problem.id, self.settings.ask_memory // 2
        )
        answer = await self._answer(
            user_id,
            where,
            situation,
            prompts.ASK,
            lambda: prompts.ask(situation, history, question),
            guarded=not situation.solved,
            extra_key=(question, history),
        )
        if isinstance(answer, _Answered) and answer.served is Served.AI:
            await self.conversation.add(user_id, situation.problem.id, question, answer.text)
        return self._finish("ask", answer, situation, switched, await self._hearts(user_id))

    async def hearts(self, user_id: int) -> Hearts:
        return await self.budget.hearts(user_id)

    async def report(self, guild_id: int | None, days: int = 7) -> UsageReport:
        return await self.usage.report(
            guild_id, days, (self.settings.server_daily_requests, self.settings.daily_tokens)
        )

    # -- the common path -------------------------------------------------------------------------

    async def _answer(
        self,
        user_id: int,
        where: Where,
        situation: Situation,
        template: prompts.Template,
        build: Callable[[], ModelRequest],
        *,
        guarded: bool,
        extra_key: object = None,
    ) -> _Answered | str:
        """The model's checked answer, or the reason there is none."""
        if self.model is None:
            await self._action(user_id, where, situation, template, Served.CURATED, OFF)
            return OFF
        key = cache_key(
            template.feature,
            template.version,
            situation.problem.id,
            situation.variant.seed,
            situation.code,
            verdict_signature(situation.verdict),
            len(situation.hints_seen),
            situation.solved,
            extra_key,
        )
        cached = await self.cache.get(key)
        if cached is not None:
            await self._action(user_id, where, situation, template, Served.CACHED, "")
            hearts = await self.budget.hearts(user_id)
            return _Answered(cached.text, Served.CACHED, hearts, cached.model)
        reason = await self.budget.operator_limit(where.guild_id)
        if reason is None:
            try:
                hearts = await self.budget.spend(user_id)
            except OutOfHearts:
                reason = HEARTS
        if reason is not None:
            await self._action(user_id, where, situation, template, Served.CURATED, reason)
            return reason
        try:
            answer = await self.model.generate(build())
        except ModelFailed as exc:
            await self._record(exc.attempts, template, user_id, where, situation)
            await self.budget.refund(user_id)
            log.warning(
                "tutor %s for user=%s problem=%s failed: %s",
                template.feature,
                user_id,
                situation.problem.id,
                exc,
            )
            await self._action(
                user_id, where, situation, template, Served.CURATED, exc.outcome.value
            )
            return exc.outcome.value
        await self._record(answer.attempts, template, user_id, where, situation)
        text = self._text(answer)
        if guarded:
            checked = await check_reply(text, situation.variant, self.runner)
            if not checked.ok:
                await self.budget.refund(user_id)
                log.info(
                    "tutor %s reply refused for user=%s problem=%s: %s (%s)",
                    template.feature,
                    user_id,
                    situation.problem.id,
                    checked.reason,
                    checked.detail,
                )
                await self._action(
                    user_id,
                    where,
                    situation,
                    template,
                    Served.CURATED,
                    f"{REFUSED}:{checked.reason}",
                )
                return REFUSED
        await self.cache.put(
            key,
            feature=template.feature,
            problem_id=situation.problem.id,
            text=text,
            model=answer.model,
        )
        await self._action(user_id, where, situation, template, Served.AI, "")
        return _Answered(text, Served.AI, hearts, answer.model)

    @staticmethod
    def _text(answer: ModelAnswer) -> str:
        if isinstance(answer.parsed, AskAnswer):
            return answer.parsed.reply.strip()
        return answer.text.strip()

    async def _record(
        self,
        attempts: tuple,
        template: prompts.Template,
        user_id: int,
        where: Where,
        situation: Situation,
    ) -> None:
        await self.usage.record_attempts(
            attempts,
            feature=template.feature,
            user_id=user_id,
            guild_id=where.guild_id,
            problem_id=situation.problem.id,
        )

    async def _action(
        self,
        user_id: int,
        where: Where,
        situation: Situation,
        template: prompts.Template,
        served: Served,
        reason: str,
    ) -> None:
        await self.usage.record_action(
            user_id=user_id,
            guild_id=where.guild_id,
            problem_id=situation.problem.id,
            feature=template.feature,
            served=served.value,
            reason=reason,
            prompt_version=template.version,
        )

    async def _hearts(self, user_id: int) -> Hearts | None:
        return await self.budget.hearts(user_id) if self.enabled else None

    async def _curated_hint(
        self, user_id: int, where: Where, situation: Situation, reason: str, switched: bool
    ) -> TutorReply:
        if reason == NO_CODE:
            await self._action(user_id, where, situation, prompts.HINT, Served.CURATED, reason)
        hinted = await self.flow.hint(user_id, None, where)
        return TutorReply(
            "hint",
            Served.CURATED,
            situation,
            reason=reason,
            hearts=await self._hearts(user_id),
            hinted=hinted,
            switched=switched,
        )

    @staticmethod
    def _finish(
        feature: str,
        answer: _Answered | str,
        situation: Situation,
        switched: bool,
        hearts: Hearts | None,
    ) -> TutorReply:
        if isinstance(answer, str):
            return TutorReply(
                feature, Served.CURATED, situation, reason=answer, hearts=hearts, switched=switched
            )
        return Tutor._reply(feature, answer, situation, switched)

    @staticmethod
    def _reply(feature: str, answer: _Answered, situation: Situation, switched: bool) -> TutorReply:
        return TutorReply(
            feature,
            answer.served,
            situation,
            text=answer.text,
            hearts=answer.hearts,
            model=answer.model,
            switched=switched,
        )


def verdict_signature(verdict: Verdict | None) -> object:
    """What makes two verdicts the same failure (timings differ from run to run)."""
    if verdict is None:
        return None
    failed, error = verdict.failed, verdict.error
    return [
        verdict.status.value,
        verdict.passed,
        verdict.total,
        [failed.number, failed.got, failed.message] if failed else None,
        [error.type, error.message, error.line] if error else None,
    ]
