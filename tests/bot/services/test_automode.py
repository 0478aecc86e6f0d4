"""Auto mode rules against real databases, with a fixed seed and a fake clock."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.services.automode import AutoModeService
from bot.services.errors import NoActiveRun, SkipNotAllowed
from bot.services.progress import ProgressService, SubmissionIn
from curriculum import Curriculum, Difficulty

from ..conftest import FakeClock, verdict, wrong


@pytest.fixture
def auto(db: Database, course: Curriculum, clock: FakeClock) -> AutoModeService:
    return AutoModeService(db, course, clock, seed=7)


@pytest.fixture
def progress(
    db: Database, course: Curriculum, clock: FakeClock, auto: AutoModeService
) -> ProgressService:
    return ProgressService(db, course, auto, clock)


async def answer(progress: ProgressService, course: Curriculum, pid: str, ok: bool, user: int = 1):  # type: ignore[no-untyped-def]
    return await progress.record(
        SubmissionIn(
            user_id=user,
            problem=course.problems[pid],
            source="x",
            verdict=verdict() if ok else wrong(),
        )
    )


async def test_new_learners_start_with_the_first_modules_basics(auto) -> None:
    pick = await auto.start(1)
    assert pick.problem.module == "alpha" and pick.problem.subtopic == "basics"
    assert pick.reason.startswith("getting started: Alpha › Basics")
    assert pick.difficulty is Difficulty.BEGINNER
    again = await auto.start(1)  # resuming returns the same current item
    assert again.problem.id == pick.problem.id
    status = await auto.status(1)
    assert status and status.current_problem_id == pick.problem.id
    assert status.upcoming == ["getting started: Alpha › Other"]


async def force_current(db: Database, auto: AutoModeService, pid: str, user: int = 1) -> None:
    """Make ``pid`` the run's current problem, as if auto mode had picked it."""
    from sqlalchemy import select

    from bot.db.models import AutoRun
    from bot.services.sessions import open_session

    async with db.write() as session:
        run = await session.scalar(select(AutoRun).where(AutoRun.user_id == user, AutoRun.active))
        run.current_problem_id = pid
        await open_session(session, user, pid, 0, auto.clock(), context="auto", auto_run_id=run.id)


async def test_three_correct_in_one_subtopic_promote_that_subtopic_only(
    auto, progress, course, db
) -> None:
    await auto.start(1)
    outcomes = []
    for pid in [
        "a-basics-b0",
        "a-basics-b1",
        "a-other-b0",
        "a-other-b1",
        "a-other-b2",
        "a-basics-b2",
    ]:
        await force_current(db, auto, pid)
        outcomes.append((pid, (await answer(progress, course, pid, True)).auto))
    promoted = [pid for pid, outcome in outcomes if outcome and outcome.promoted]
    # correct answers elsewhere neither promote basics early nor reset its run
    assert promoted == ["a-other-b2", "a-basics-b2"]
    status = await auto.status(1)
    assert status and status.levels == {
        "alpha/basics": "intermediate",
        "alpha/other": "intermediate",
    }
    assert status.streak == 6
    nxt = await auto.next(1)
    assert nxt.reason.startswith("promoted to intermediate in Basics")
    assert nxt.problem.subtopic == "basics" and nxt.problem.difficulty is Difficulty.INTERMEDIATE


async def test_a_solved_problem_counts_once_for_the_run(auto, progress, course, db) -> None:
    await auto.start(1)
    await force_current(db, auto, "a-basics-b0")
    first = (await answer(progress, course, "a-basics-b0", True)).auto
    again = (await answer(progress, course, "a-basics-b0", True)).auto
    assert first is not None and again is None


async def test_failures_demote_and_queue_one_remediation(auto, progress, course, db) -> None:
    from bot.db.models import SubtopicLevel

    await auto.start(1)
    async with db.write() as session:
        level = await session.get(SubtopicLevel, (1, "alpha", "basics"))
        level.difficulty = "intermediate"
    await force_current(db, auto, "a-basics-i0")
    pick = await auto.start(1)
    assert pick.problem.id == "a-basics-i0" and pick.difficulty is Difficulty.INTERMEDIATE
    first = (await answer(progress, course, pick.problem.id, False)).auto
    second = (await answer(progress, course, pick.problem.id, False)).auto
    assert first and first.remediation_queued and not first.demoted
    assert second and second.demoted and not second.remediation_queued  # one is queued already
    assert second.difficulty is Difficulty.BEGINNER
    nxt = await auto.next(1)
    assert nxt.reason.startswith("remediation for Basics")
    assert nxt.problem.id != pick.problem.id and nxt.problem.difficulty is Difficulty.BEGINNER


async def test_idle_streak_is_halved_on_resume(auto, progress, course, clock) -> None:
    pick = await auto.start(1)
    for _ in range(4):
        await answer(progress, course, pick.problem.id, True)
        pick = await auto.next(1)
    assert (await auto.status(1)).streak == 4
    clock.advance(hours=23)
    assert "welcome back" not in (await auto.start(1)).reason
    clock.advance(hours=25)
    resumed = await auto.start(1)
    assert "streaks halved" in resumed.reason
    assert (await auto.status(1)).streak == 2


async def test_skip_only_on_advanced_and_never_the_same_problem_twice(
    auto, progress, course, db
) -> None:
    pick = await auto.start(1)
    with pytest.raises(SkipNotAllowed):
        await auto.skip(1)
    previous = pick.problem.id
    for _ in range(25):
        pick = await auto.next(1)
        assert pick.problem.id != previous
        previous = pick.problem.id
    async with db.write() as session:
        from sqlalchemy import select

        from bot.db.models import AutoRun

        run = await session.scalar(select(AutoRun).where(AutoRun.user_id == 1))
        run.current_problem_id = "a-basics-a0"
    skipped = await auto.skip(1)
    assert "skipped without penalty" in skipped.reason and skipped.problem.id != "a-basics-a0"


async def test_stop_ends_the_run(auto) -> None:
    await auto.start(1)
    assert await auto.stop(1)
    assert await auto.status(1) is None and not await auto.stop(1)
    with pytest.raises(NoActiveRun):
        await auto.next(1)


async def test_weakest_subtopic_first_after_the_starter_queue(auto, progress, course) -> None:
    # a learner with history skips the starter queue; a weak subtopic is chosen first
    for _ in range(3):
        await answer(progress, course, "b-basics-b0", False)
    await answer(progress, course, "a-basics-b0", True)
    pick = await auto.start(1)
    assert pick.reason.startswith("weakest area: Beta › Basics (0% mastery)")


async def test_a_problem_just_solved_elsewhere_is_not_served_back(auto, progress, course) -> None:
    pick = await auto.start(1)
    for problem in course.select("alpha", "basics", Difficulty.BEGINNER):
        if problem.id != pick.problem.id:  # solved in practice mode, outside the run
            await answer(progress, course, problem.id, True)
    await answer(progress, course, pick.problem.id, True)
    nxt = await auto.next(1)
    solved = {p.id for p in course.select("alpha", "basics", Difficulty.BEGINNER)}
    assert nxt.problem.id not in solved  # an unsolved problem, even at another level or topic
