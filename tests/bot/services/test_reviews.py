"""The review queue over simulated days: a struggle comes back after 1 day, each clean solve
when due spaces it further (3, then 7 days), help while reviewing starts it over, and after the
last clean solve it leaves the queue."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database
from bot.db.models import HintEvent
from bot.services.automode import AutoModeService
from bot.services.progress import ProgressService
from bot.services.reviews import ReviewQueue
from curriculum import Curriculum

from ..conftest import FakeClock
from .test_stats_and_boards import submit

PID = "a-basics-b0"
LEARNER = 77


async def test_a_failed_problem_comes_back_spaced_until_it_is_learnt(
    db: Database, course: Curriculum, clock: FakeClock
) -> None:
    progress = ProgressService(db, course, AutoModeService(db, course, clock, seed=3), clock)
    reviews = ReviewQueue(db, course, clock)

    async def due() -> list[str]:
        return [r.problem_id for r in await reviews.all(LEARNER) if r.due_at <= clock()]

    await submit(progress, course, PID, ok=False, user=LEARNER)
    assert await reviews.count(LEARNER) == 0  # one mistake is practice, not trouble
    await submit(progress, course, PID, ok=False, user=LEARNER)
    assert await reviews.count(LEARNER) == 1 and await due() == []
    clock.advance(hours=23)
    assert await reviews.count_due(LEARNER) == 0
    clock.advance(hours=1)
    assert await reviews.count_due(LEARNER) == 1
    review = await reviews.next_due(LEARNER)
    assert review is not None and review.problem_id == PID
    assert review.why(clock()) == "review: you didn't solve it yesterday"

    # Solved cleanly when due: back in 3 days, then 7.
    await submit(progress, course, PID, user=LEARNER)
    assert await reviews.count_due(LEARNER) == 0
    clock.advance(days=3, seconds=-1)
    assert await reviews.count_due(LEARNER) == 0
    clock.advance(seconds=1)
    assert await due() == [PID]

    # Help while reviewing (a hint shown since it came back): it starts over at a day.
    async with db.write() as session:
        session.add(
            HintEvent(user_id=LEARNER, problem_id=PID, kind="hint", level=1, created_at=clock())
        )
    await submit(progress, course, PID, user=LEARNER)
    [item] = await reviews.all(LEARNER)
    assert item.stage == 0 and item.due_at == clock() + timedelta(days=1)

    # Then three clean solves, each when due: 1, 3 and 7 days apart, and it is gone.
    for days in (1, 3, 7):
        clock.advance(days=days)
        assert await due() == [PID]
        await submit(progress, course, PID, user=LEARNER)
    assert await reviews.count(LEARNER) == 0
    clock.advance(days=30)
    assert await reviews.next_due(LEARNER) is None
