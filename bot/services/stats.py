"""A learner's progress: module → subtopic → problem type → difficulty, and history.

Counts come from ``stat_counters``, kept in step by every recorded submission, so a full stats
tree costs one indexed query. One submission is one attempt; a solve is counted once per
problem (the first accepted submission), never as an extra attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import Badge, StatCounter, Submission, User
from curriculum import Curriculum

from .catalog import title_of
from .clock import Clock, local_day, utc_now, zone
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
        if row.last_attempt_at and (
            self.last_attempt_at is None or row.last_attempt_at > self.last_attempt_at
        ):
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
    title: str  # as the learner saw it (a template's variant filled); the id if it left the course


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryItem]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class ModuleBar:
    title: str
    mastery: float  # 0..1
    solved: int
    attempts: int


@dataclass(frozen=True)
class StatsCard:
    """What a picture of a learner's progress shows (the same numbers as the stats text):
    mastery bars per module in course order, submissions per local day for ``ACTIVITY_WEEKS``
    weeks ending today (oldest first), level and XP progress, streak. Hashable: a picture
    is cached on the card that drew it."""

    user_id: int
    level: Level
    xp: int
    streak: int
    best_streak: int
    modules: tuple[ModuleBar, ...]
    activity: tuple[tuple[date, int], ...]
    reviews_due: int = 0

    @property
    def level_progress(self) -> float:
        """Share of the way from this level's floor to the next, 0..1 (1 at the top)."""
        if self.level.next_at is None:
            return 1.0
        span = self.level.next_at - self.level.floor
        return min(1.0, max(0.0, (self.xp - self.level.floor) / span)) if span else 1.0


ACTIVITY_WEEKS = 12


class StatsService:
    def __init__(self, db: Database, curriculum: Curriculum, clock: Clock = utc_now) -> None:
        self.db = db
        self.curriculum = curriculum
        self.clock = clock

    async def stats(self, user_id: int) -> UserStats:
        async with self.db.read() as session:
            user = await session.get(User, user_id)
            rows = list(
                await session.scalars(select(StatCounter).where(StatCounter.user_id == user_id))
            )
            badges = list(
                await session.scalars(
                    select(Badge.code).where(Badge.user_id == user_id).order_by(Badge.awarded_at)
                )
            )
        modules = {mid: Node(mid, m.title) for mid, m in self.curriculum.modules.items()}
        overall = Totals()
        for row in rows:
            overall.add(row)
            module = self.curriculum.modules.get(row.module)
            node = modules.get(row.module) or modules.setdefault(
                row.module, Node(row.module, row.module)
            )
            node.totals.add(row)
            subtopic_info = module.subtopics.get(row.subtopic) if module else None
            sub = node.child(row.subtopic, subtopic_info.title if subtopic_info else row.subtopic)
            sub.totals.add(row)
            type_info = subtopic_info.types.get(row.problem_type) if subtopic_info else None
            kind = sub.child(row.problem_type, type_info.title if type_info else row.problem_type)
            kind.totals.add(row)
            kind.child(row.difficulty, row.difficulty).totals.add(row)
        # "Practise next" is about gaps: a module whose every attempt solved has none.
        touched = [m for m in modules.values() if m.totals.attempts and m.totals.mastery < 1]
        weakest = [
            m.key for m in sorted(touched, key=lambda m: (m.totals.mastery, -m.totals.attempts))
        ]
        xp = user.xp if user else 0
        today = local_day(self.clock(), user.time_zone if user else "UTC")
        return UserStats(
            user_id=user_id,
            xp=xp,
            level=level_for(xp),
            solved=user.solved_count if user else 0,
            streak=current_streak(user.last_solve_day, user.streak, today) if user else 0,
            best_streak=user.best_streak if user else 0,
            badges=badges,
            totals=overall,
            modules=modules,
            weakest=weakest[:WEAKEST_SHOWN],
            untouched=[m.key for m in modules.values() if not m.totals.attempts],
        )

    async def history(self, user_id: int, page: int = 1, per_page: int = 10) -> HistoryPage:
        """One page, newest first; a page past the end gives the last one."""
        async with self.db.read() as session:
            total = (
                await session.scalar(
                    select(func.count())
                    .select_from(Submission)
                    .where(Submission.user_id == user_id)
                )
                or 0
            )
            pages = max(1, -(-total // per_page))
            page = min(max(1, page), pages)
            rows = await session.execute(
                select(
                    Submission.id,
                    Submission.problem_id,
                    Submission.verdict,
                    Submission.passed,
                    Submission.total,
                    Submission.duration_ms,
                    Submission.created_at,
                    Submission.variant_seed,
                )
                .where(Submission.user_id == user_id)
                .order_by(Submission.created_at.desc(), Submission.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
            items = [
                HistoryItem(*row[:-1], title=self._title(row.problem_id, row.variant_seed))
                for row in rows
            ]
        return HistoryPage(items, page, pages, total)

    def _title(self, problem_id: str, seed: int) -> str:
        problem = self.curriculum.get(problem_id)
        return title_of(problem, seed) if problem is not None else problem_id

    async def card(
        self, user_id: int, reviews_due: int = 0, stats: UserStats | None = None
    ) -> StatsCard:
        """The data a progress picture draws (``stats``: already read for the text)."""
        stats = stats or await self.stats(user_id)
        async with self.db.read() as session:
            user = await session.get(User, user_id)
            tz = zone(user.time_zone if user else "UTC")
            today = self.clock().astimezone(tz).date()
            first = today - timedelta(days=ACTIVITY_WEEKS * 7 - 1)
            since = datetime.combine(first, time(0), tzinfo=tz)
            moments = await session.scalars(
                select(Submission.created_at).where(
                    Submission.user_id == user_id, Submission.created_at >= since
                )
            )
            per_day: dict[date, int] = {}
            for moment in moments:
                day = moment.astimezone(tz).date()
                per_day[day] = per_day.get(day, 0) + 1
        return StatsCard(
            user_id=user_id,
            level=stats.level,
            xp=stats.xp,
            streak=stats.streak,
            best_streak=stats.best_streak,
            modules=tuple(
                ModuleBar(n.title, n.totals.mastery, n.totals.solved, n.totals.attempts)
                for n in stats.modules.values()
            ),
            activity=tuple(
                (first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0))
                for i in range(ACTIVITY_WEEKS * 7)
            ),
            reviews_due=reviews_due,
        )
