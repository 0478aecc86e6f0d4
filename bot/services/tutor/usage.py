"""Usage records and the measure of whether the tutor helps.

Every request to the model is a row (model, tokens in and out, feature, learner, server,
latency, outcome); every learner action is a row too, with what they were served. Whether an
action helped is read from the learner's next submission on that problem: the first one
after the action, accepted or not. It is computed from the submissions table rather than
kept in step by the practice flow, so the two can never disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import AiAction, AiUsage, GeneratedProblem, Submission
from bot.metrics import AI_CALLS, AI_TOKENS
from bot.services.clock import Clock, utc_now

from .budget import day_start
from .model import Attempt

FEATURES = ("hint", "explain", "review", "ask")


@dataclass
class FeatureUse:
    actions: int = 0
    served: Counter[str] = field(default_factory=Counter)  # ai | cached | curated
    followed: int = 0  # actions after which the learner submitted again on the problem
    accepted: int = 0  # ... and that next submission was accepted
    ai_followed: int = 0  # the same, counting only AI (or cached AI) answers
    ai_accepted: int = 0

    @property
    def rate(self) -> float | None:
        return self.accepted / self.followed if self.followed else None

    @property
    def ai_rate(self) -> float | None:
        return self.ai_accepted / self.ai_followed if self.ai_followed else None


@dataclass
class UsageReport:
    guild_id: int | None  # None: the whole bot
    days: int
    requests_today: int = 0
    tokens_today: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    output_tokens: int = 0
    by_model: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    mean_latency_ms: int = 0
    features: dict[str, FeatureUse] = field(default_factory=dict)
    generated_problems: int = 0
    server_daily_requests: int = 0
    daily_tokens: int = 0

    def render(self) -> str:
        scope = "the whole bot" if self.guild_id is None else "this server"
        lines = [
            f"AI tutor use for {scope}",
            f"today: {self.requests_today} requests, {self.tokens_today:,} tokens"
            + (
                f" (server cap {self.server_daily_requests} requests)"
                if self.guild_id is not None
                else f" (budget {self.daily_tokens:,} tokens)"
            ),
            f"last {self.days} days: {self.requests} requests, {self.prompt_tokens:,} tokens in, "
            f"{self.output_tokens:,} out, mean latency {self.mean_latency_ms} ms",
        ]
        if self.by_model:
            lines.append("models: " + ", ".join(f"{m} {n}" for m, n in self.by_model.most_common()))
        if self.outcomes:
            lines.append(
                "outcomes: " + ", ".join(f"{o} {n}" for o, n in self.outcomes.most_common())
            )
        lines.append("next submission accepted after (all / AI answers only):")
        for name in FEATURES:
            use = self.features.get(name, FeatureUse())
            served = ", ".join(f"{k} {v}" for k, v in sorted(use.served.items())) or "none"
            lines.append(
                f"  {name:<8} {use.actions:>4} asked ({served}); "
                f"{_rate(use.accepted, use.followed)} / "
                f"{_rate(use.ai_accepted, use.ai_followed)}"
            )
        if self.guild_id is None:
            lines.append(f"verified generated problems: {self.generated_problems}")
        return "\n".join(lines)


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.0%})" if total else "no data yet"


class UsageLog:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def record_attempts(
        self,
        attempts: tuple[Attempt, ...],
        *,
        feature: str,
        user_id: int | None,
        guild_id: int | None,
        problem_id: str | None,
    ) -> None:
        if not attempts:
            return
        now = self.clock()
        async with self.db.write() as session:
            for a in attempts:
                session.add(
                    AiUsage(
                        user_id=user_id,
                        guild_id=guild_id,
                        feature=feature,
                        model=a.model,
                        prompt_tokens=a.prompt_tokens,
                        output_tokens=a.output_tokens,
                        ok=a.outcome == "ok",
                        outcome=a.outcome.value,
                        latency_ms=a.latency_ms,
                        problem_id=problem_id,
                        created_at=now,
                    )
                )
        for a in attempts:
            AI_TOKENS.labels(direction="input").inc(a.prompt_tokens)
            AI_TOKENS.labels(direction="output").inc(a.output_tokens)

    async def record_action(
        self,
        *,
        user_id: int,
        guild_id: int | None,
        problem_id: str,
        feature: str,
        served: str,
        reason: str,
        prompt_version: str,
    ) -> None:
        """What the learner got; ``reason`` says why it was curated, or what refused it."""
        now = self.clock()
        async with self.db.write() as session:
            last = (
                await session.scalar(
                    select(func.max(Submission.id)).where(Submission.user_id == user_id)
                )
                or 0
            )
            session.add(
                AiAction(
                    user_id=user_id,
                    guild_id=guild_id,
                    problem_id=problem_id,
                    feature=feature,
                    served=served,
                    reason=reason[:32],
                    prompt_version=prompt_version,
                    after_submission_id=last,
                    created_at=now,
                )
            )
        AI_CALLS.labels(kind=feature, outcome=reason or served).inc()

    async def report(
        self, guild_id: int | None, days: int = 7, limits: tuple[int, int] = (0, 0)
    ) -> UsageReport:
        now = self.clock()
        since, today = now - timedelta(days=days), day_start(now)
        report = UsageReport(
            guild_id, days, server_daily_requests=limits[0], daily_tokens=limits[1]
        )
        scope = [] if guild_id is None else [AiUsage.guild_id == guild_id]
        async with self.db.read() as session:
            rows = (
                await session.execute(
                    select(
                        AiUsage.model,
                        AiUsage.outcome,
                        AiUsage.prompt_tokens,
                        AiUsage.output_tokens,
                        AiUsage.latency_ms,
                        AiUsage.created_at,
                    ).where(AiUsage.created_at >= since, *scope)
                )
            ).all()
            next_verdict = (
                select(Submission.verdict)
                .where(
                    Submission.user_id == AiAction.user_id,
                    Submission.problem_id == AiAction.problem_id,
                    Submission.id > AiAction.after_submission_id,
                )
                .order_by(Submission.id)
                .limit(1)
                .correlate(AiAction)
                .scalar_subquery()
            )
            action_scope = [] if guild_id is None else [AiAction.guild_id == guild_id]
            actions = (
                await session.execute(
                    select(AiAction.feature, AiAction.served, next_verdict).where(
                        AiAction.created_at >= since, *action_scope
                    )
                )
            ).all()
            if guild_id is None:
                report.generated_problems = (
                    await session.scalar(select(func.count()).select_from(GeneratedProblem)) or 0
                )
        latencies = []
        for model, outcome, tokens_in, tokens_out, latency, created in rows:
            report.requests += 1
            report.prompt_tokens += tokens_in
            report.output_tokens += tokens_out
            report.by_model[model] += 1
            report.outcomes[outcome] += 1
            latencies.append(latency)
            if created >= today:
                report.requests_today += 1
                report.tokens_today += tokens_in + tokens_out
        report.mean_latency_ms = round(sum(latencies) / len(latencies)) if latencies else 0
        features: dict[str, FeatureUse] = defaultdict(FeatureUse)
        for feature, served, verdict in actions:
            use = features[feature]
            use.actions += 1
            use.served[served] += 1
            if verdict is None:
                continue
            use.followed += 1
            use.accepted += verdict == "accepted"
            if served in ("ai", "cached"):
                use.ai_followed += 1
                use.ai_accepted += verdict == "accepted"
        report.features = dict(features)
        return report

    async def next_submission_accepted(self, user_id: int, problem_id: str) -> list[bool | None]:
        """For each of the learner's actions on the problem, oldest first: was the next
        submission accepted (None: none yet)."""
        async with self.db.read() as session:
            actions = (
                (
                    await session.execute(
                        select(AiAction.after_submission_id)
                        .where(AiAction.user_id == user_id, AiAction.problem_id == problem_id)
                        .order_by(AiAction.id)
                    )
                )
                .scalars()
                .all()
            )
            submissions = (
                await session.execute(
                    select(Submission.id, Submission.verdict)
                    .where(Submission.user_id == user_id, Submission.problem_id == problem_id)
                    .order_by(Submission.id)
                )
            ).all()
        found: list[bool | None] = []
        for after in actions:
            following = next((v for sid, v in submissions if sid > after), None)
            found.append(None if following is None else following == "accepted")
        return found
