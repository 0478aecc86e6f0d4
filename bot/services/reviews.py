"""The review queue: problems a learner struggled with come back for another try.

A problem enters the queue when the learner needed its solution, solved it only with every
hint, or failed it twice without solving it. It comes back after 1 day; each time it is solved
cleanly when due (no hint, no solution since it came back), the next return is further off
(3 days, then 7), and after the last it leaves the queue. A review that needed help starts
over at 1 day. The rules run inside the transactions that record what happened, so a review's
state always matches the submissions and hints behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import HintEvent, PracticeSession, ReviewItem
from curriculum import Curriculum

from .clock import Clock, utc_now
from .users import lock_user

INTERVALS = (timedelta(days=1), timedelta(days=3), timedelta(days=7))
FAILURES_BEFORE_REVIEW = 2
REVIEW_PREFIX = "review:"
TROUBLE = {
    "revealed": "you needed the solution",
    "hints": "you needed every hint",
    "tries": "it took you several tries",
    "unsolved": "you didn't solve it",
    "clean": "you solved it cleanly",
}


def ago(then: datetime, now: datetime) -> str:
    days = round((now - then) / timedelta(days=1))
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


@dataclass(frozen=True)
class Review:
    problem_id: str
    stage: int  # clean solves since the trouble (0..2)
    due_at: datetime
    reason: str  # a key of TROUBLE
    reason_at: datetime

    def why(self, now: datetime) -> str:
        """What a learner reads: "review: you needed the solution 3 days ago"."""
        trouble = TROUBLE.get(self.reason, "practise it again")
        return f"{REVIEW_PREFIX} {trouble} {ago(self.reason_at, now)}"

    @classmethod
    def of(cls, item: ReviewItem) -> Review:
        return cls(item.problem_id, item.stage, item.due_at, item.reason, item.reason_at)


# -- inside the recording transactions -------------------------------------------------------


async def schedule(
    session: AsyncSession, user_id: int, problem_id: str, reason: str, now: datetime
) -> None:
    """(Re)start the problem's reviews: due in a day, whatever stage it had reached."""
    item = await session.get(ReviewItem, (user_id, problem_id))
    if item is None:
        item = ReviewItem(user_id=user_id, problem_id=problem_id, created_at=now)
        session.add(item)
    item.stage, item.due_at = 0, now + INTERVALS[0]
    item.reason, item.reason_at = reason, now


async def after_submission(
    session: AsyncSession,
    user_id: int,
    problem_id: str,
    *,
    accepted: bool,
    first_solve: bool,
    solved: bool,
    attempts: int,
    every_hint: bool,
    now: datetime,
) -> None:
    """Apply one judged submission (``solved``: the problem is solved now, this one included;
    ``every_hint``: every hint had been shown)."""
    item = await session.get(ReviewItem, (user_id, problem_id))
    if item is not None and item.due_at <= now:
        if not accepted:
            return  # still due: the review goes on until it is solved
        if await helped_since(session, user_id, problem_id, item.due_at):
            item.stage, item.due_at = 0, now + INTERVALS[0]
            item.reason, item.reason_at = "hints", now
        elif item.stage + 1 >= len(INTERVALS):
            await session.delete(item)  # learnt: it leaves the queue
        else:
            item.stage += 1
            item.due_at = now + INTERVALS[item.stage]
            item.reason, item.reason_at = "clean", now
        return
    if accepted and first_solve and every_hint:
        await schedule(session, user_id, problem_id, "hints", now)
    elif not accepted and not solved and attempts >= FAILURES_BEFORE_REVIEW:
        if item is None:
            await schedule(session, user_id, problem_id, "unsolved", now)
    elif accepted and item is not None and item.reason == "unsolved":
        item.reason = "tries"  # solved after all, before it came back: still worth a retry


async def helped_since(
    session: AsyncSession, user_id: int, problem_id: str, since: datetime
) -> bool:
    """A hint or the solution was shown for the problem since ``since``."""
    found = await session.scalar(
        select(HintEvent.id)
        .where(
            HintEvent.user_id == user_id,
            HintEvent.problem_id == problem_id,
            HintEvent.created_at >= since,
        )
        .limit(1)
    )
    return found is not None


async def next_due(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    curriculum: Curriculum,
    avoid: frozenset[str] = frozenset(),
) -> Review | None:
    """The review due longest, among problems the course still has."""
    items = await session.scalars(
        select(ReviewItem)
        .where(ReviewItem.user_id == user_id, ReviewItem.due_at <= now)
        .order_by(ReviewItem.due_at, ReviewItem.problem_id)
    )
    for item in items:
        if item.problem_id not in avoid and curriculum.get(item.problem_id) is not None:
            return Review.of(item)
    return None


async def begin(session: AsyncSession, user_id: int, problem_id: str) -> None:
    """A review is served: its hints start over and the solution needs fresh tries again, so
    a clean solve means the learner did it alone."""
    current = await session.get(PracticeSession, user_id)
    if current is not None and current.problem_id == problem_id:
        current.hints_shown, current.failed_attempts = 0, 0


# -- reading ---------------------------------------------------------------------------------


class ReviewQueue:
    def __init__(self, db: Database, curriculum: Curriculum, clock: Clock = utc_now) -> None:
        self.db = db
        self.curriculum = curriculum
        self.clock = clock

    async def next_due(self, user_id: int) -> Review | None:
        async with self.db.read() as session:
            return await next_due(session, user_id, self.clock(), self.curriculum)

    async def upcoming(self, user_id: int) -> Review | None:
        """The next review to come due (when none is due now)."""
        async with self.db.read() as session:
            items = await session.scalars(
                select(ReviewItem)
                .where(ReviewItem.user_id == user_id)
                .order_by(ReviewItem.due_at, ReviewItem.problem_id)
            )
            for item in items:
                if self.curriculum.get(item.problem_id) is not None:
                    return Review.of(item)
        return None

    async def count_due(self, user_id: int) -> int:
        async with self.db.read() as session:
            ids = await session.scalars(
                select(ReviewItem.problem_id).where(
                    ReviewItem.user_id == user_id, ReviewItem.due_at <= self.clock()
                )
            )
            return sum(1 for pid in ids if self.curriculum.get(pid) is not None)

    async def count(self, user_id: int) -> int:
        async with self.db.read() as session:
            return (
                await session.scalar(
                    select(func.count())
                    .select_from(ReviewItem)
                    .where(ReviewItem.user_id == user_id)
                )
                or 0
            )

    async def all(self, user_id: int) -> list[Review]:
        async with self.db.read() as session:
            items = await session.scalars(
                select(ReviewItem)
                .where(ReviewItem.user_id == user_id)
                .order_by(ReviewItem.due_at, ReviewItem.problem_id)
            )
            return [Review.of(item) for item in items]

    async def begin(self, user_id: int, problem_id: str) -> None:
        async with self.db.write() as session:
            await lock_user(session, user_id, self.clock())
            await begin(session, user_id, problem_id)
