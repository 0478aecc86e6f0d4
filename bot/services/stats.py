"""A learner's progress: module → subtopic → problem type → difficulty, and history.

Counts come from ``stat_counters``, kept in step by every recorded submission, so a full stats
tree costs one indexed query. One submission is one attempt; a solve is counted once per
problem (the first accepted submission), never as an extra attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import Badge, StatCounter, Submission, User
from curriculum import Curriculum

from .clock import Clock, local_day, utc_now
from .rewards import Level, current_streak, level_for

WEAKEST_SHOWN = 3


@dataclass
class Totals:
    attempts: int = 0
    solved: int = 0
    first_try: int = 0
    solve_seconds: float = 0.0
    last_attempt_at: datetime | None = None

    def add(self, row: StatCounter) -> None:
        self.attempts += row.attempts
        self.solved += row.solved
        self.first_try += row.first_try
        self.solve_seconds += row.solve_seconds
        if row.last_attempt_at and (self.last_attempt_at is None
                                    or row.last_attempt_at > self.last_attempt_at):
            self.last_attempt_at = row.last_attempt_at

    @property
    def mastery(self) -> float:
        """Share of attempts that solved a problem, 0..1 (the reference systems' measure)."""
        return min(1.0, self.solved / self.attempts) if self.attempts else 0.0

    @property
    def mean_solve_seconds(self) -> float | None:
        return self.solve_seconds / self.solved if self.solved else None


@dataclass
class Node:
    """One level of the tree; ``children`` keyed by subtopic, type or difficulty."""

    key: str
    title: str
    totals: Totals = field(default_factory=Totals)
    children: dict[str, Node] = field(default_factory=dict)

    def child(self, key: str, title: str) -> Node:
        if key not in self.children:
            self.children[key] = Node(key, title)
        return self.children[key]


@dataclass
class UserStats:
    user_id: int
    xp: int
    level: Level
    solved: int
    streak: int
    best_streak: int
    badges: list[str]
    totals: Totals
    modules: dict[str, Node]  # every module of the course, touched or not, in course order
    weakest: list[str]  # module ids, lowest mastery first
    untouched: list[str]


@dataclass(frozen=True)
class HistoryItem:
    submission_id: int
    problem_id: str
    verdict: str
    passed: int
    total: int
    duration_ms: int
    created_at: datetime


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryItem]
    page: int
    pages: int
    total: int


class StatsService:
    def __init__(self, db: Database, curriculum: Curriculum, clock: Clock = utc_now) -> None:
        self.db = db
        self.curriculum = curriculum
        self.clock = clock

    async def stats(self, user_id: int) -> UserStats:
        async with self.db.read() as session:
            user = await session.get(User, user_id)
            rows = list(await session.scalars(
                select(StatCounter).where(StatCounter.user_id == user_id)))
            badges = list(await session.scalars(
                select(Badge.code).where(Badge.user_id == user_id).order_by(Badge.awarded_at)))
        modules = {mid: Node(mid, m.title) for mid, m in self.curriculum.modules.items()}
        overall = Totals()
        for row in rows:
            overall.add(row)
            module = self.curriculum.modules.get(row.module)
            node = modules.get(row.module) or modules.setdefault(row.module,
                                                                  Node(row.module, row.module))
            node.totals.add(row)
            subtopic_info = module.subtopics.get(row.subtopic) if module else None
            sub = node.child(row.subtopic, subtopic_info.title if subtopic_info else row.subtopic)
            sub.totals.add(row)
            type_info = subtopic_info.types.get(row.problem_type) if subtopic_info else None
            kind = sub.child(row.problem_type, type_info.title if type_info else row.problem_type)
            kind.totals.add(row)
            kind.child(row.difficulty, row.difficulty).totals.add(row)
        touched = [m for m in modules.values() if m.totals.attempts]
        weakest = [m.key for m in sorted(touched, key=lambda m: (m.totals.mastery,
                                                               -m.totals.attempts))]
        xp = user.xp if user else 0
        today = local_day(self.clock(), user.time_zone if user else "UTC")
        return UserStats(
            user_id=user_id, xp=xp, level=level_for(xp), solved=user.solved_count if user else 0,
            streak=current_streak(user.last_solve_day, user.streak, today) if user else 0,
            best_streak=user.best_streak if user else 0, badges=badges, totals=overall,
            modules=modules, weakest=weakest[:WEAKEST_SHOWN],
            untouched=[m.key for m in modules.values() if not m.totals.attempts])

    async def history(self, user_id: int, page: int = 1, per_page: int = 10) -> HistoryPage:
        page = max(1, page)
        async with self.db.read() as session:
            total = await session.scalar(select(func.count()).select_from(Submission).where(
                Submission.user_id == user_id)) or 0
            rows = await session.execute(
                select(Submission.id, Submission.problem_id, Submission.verdict,
                       Submission.passed, Submission.total, Submission.duration_ms,
                       Submission.created_at)
                .where(Submission.user_id == user_id)
                .order_by(Submission.created_at.desc(), Submission.id.desc())
                .limit(per_page).offset((page - 1) * per_page))
            items = [HistoryItem(*row) for row in rows]
        pages = max(1, -(-total // per_page))
        return HistoryPage(items, page, pages, total)
