"""Study rooms on a real database (SQLite and PostgreSQL) and the real sandbox: two learners, a
conflicting edit, runs of the draft, a team solve credited to both, the limit, a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import ProblemState, StudyRoomAttempt, TeamSolve, User
from bot.services.gate import JobGate
from bot.services.rooms import (
    NotAMember,
    NotRoomOwner,
    RoomClosed,
    RoomLimitReached,
    RoomService,
    RoundSolved,
    StaleDraft,
    UnchangedDraft,
)
from curriculum import Curriculum, Difficulty, VariantCache
from runner import Runner, RunnerConfig, Status

from ..conftest import FakeClock

pytestmark = pytest.mark.docker
GUILD, CHANNEL = 42, 4200
ANA, BEN, CAL = 11, 12, 13
HALF = "def add(a, b):\n    return a\n"  # passes the 0, 0 example only
RIGHT = "def add(a, b):\n    return a + b\n"
BENS = "def add(a, b):\n    return b\n"


@pytest.fixture
async def runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=0, max_concurrency=2)) as own:
        yield own


def rooms_on(
    db: Database, course: Curriculum, runner: Runner, clock: FakeClock, limit: int = 2
) -> RoomService:
    return RoomService(db, course, runner, VariantCache(runner), JobGate(0), clock, limit=limit)


async def test_two_learners_conflict_run_and_team_solve(
    db: Database, course: Curriculum, runner: Runner, clock: FakeClock
) -> None:
    rooms = rooms_on(db, course, runner, clock)
    room = await rooms.open(GUILD, CHANNEL, ANA, problem="a-basics-b0")
    room = await rooms.attach_thread(room.id, 9001)
    assert room.members == (ANA,) and room.version == 1 and "pass" in room.draft

    with pytest.raises(NotAMember):
        await rooms.edit_draft(room.id, BEN, RIGHT, 1)
    room, new = await rooms.join(room.id, BEN)
    assert new and room.members == (ANA, BEN)
    assert (await rooms.join(room.id, BEN))[1] is False

    # Both start from version 1: Ana's edit lands, Ben's is refused and shown what to merge.
    clock.advance(minutes=2)
    edit = await rooms.edit_draft(room.id, ANA, HALF, 1)
    assert (edit.version, edit.base_version) == (2, 1)
    assert "-    pass" in edit.diff and "+    return a" in edit.diff
    with pytest.raises(StaleDraft) as stale:
        await rooms.edit_draft(room.id, BEN, BENS, 1)
    assert (stale.value.based_on, stale.value.current, stale.value.current_author) == (1, 2, ANA)
    assert "-    return a" in stale.value.diff and "+    return b" in stale.value.diff
    assert (await rooms.get(room.id)).draft == HALF  # nothing overwritten
    with pytest.raises(UnchangedDraft):
        await rooms.edit_draft(room.id, BEN, HALF, 2)

    # A member's own attempt is judged and kept, and is nobody's solve.
    own = await rooms.attempt(room.id, BEN, RIGHT)
    assert own.verdict.accepted and own.draft_version is None and not own.solved_now

    failed = await rooms.run_draft(room.id, ANA)
    assert failed.verdict.status is Status.WRONG_ANSWER and not failed.solved_now

    clock.advance(minutes=3)
    merged = await rooms.edit_draft(room.id, BEN, RIGHT, 2)
    assert merged.version == 3
    run = await rooms.run_draft(room.id, ANA)
    assert run.verdict.accepted and run.solved_now and run.draft_version == 3
    assert set(run.credited) == {ANA, BEN} and run.seconds == pytest.approx(300)
    with pytest.raises(RoundSolved):
        await rooms.run_draft(room.id, BEN)
    with pytest.raises(RoundSolved):
        await rooms.edit_draft(room.id, BEN, RIGHT + "# more\n", 3)

    # Team solves are their own count: no solo solve, XP or problem state for the draft.
    async with db.read() as session:
        credited = set(await session.scalars(select(TeamSolve.user_id)))
        solo = await session.scalar(
            select(func.count()).select_from(ProblemState).where(ProblemState.solved)
        )
        xp = await session.scalar(select(func.sum(User.xp)))
        attempts = await session.scalar(select(func.count()).select_from(StudyRoomAttempt))
    assert credited == {ANA, BEN} and solo == 0 and xp == 0 and attempts == 3
    assert await rooms.team_solves(ANA) == 1 and await rooms.team_solves(CAL) == 0

    board = await rooms.scoreboard(room.id)
    assert [(r.problem_id, r.seconds) for r in board.solved] == [("a-basics-b0", 300)]
    scores = {m.user_id: m for m in board.members}
    assert (scores[ANA].team_solves, scores[ANA].versions) == (1, 1)
    assert (scores[BEN].team_solves, scores[BEN].versions, scores[BEN].attempts) == (1, 1, 1)

    # Next moves on once, however many press it; a new problem, a fresh draft.
    moved, did = await rooms.next_problem(room.id, BEN, from_round=1)
    again, did_again = await rooms.next_problem(room.id, ANA, from_round=1)
    assert did and not did_again and again.round == moved.round == 2
    assert moved.problem.id != "a-basics-b0" and moved.version == 1
    assert moved.problem.difficulty is Difficulty.BEGINNER and moved.round_solved_at is None

    with pytest.raises(NotRoomOwner):
        await rooms.close(room.id, BEN)
    closed = await rooms.close(room.id, ANA)
    assert closed.room.status == "closed" and len(closed.solved) == 1
    with pytest.raises(RoomClosed):
        await rooms.attempt(room.id, BEN, RIGHT)


async def test_rooms_survive_a_restart_and_the_limit_holds(
    db: Database, course: Curriculum, runner: Runner, clock: FakeClock
) -> None:
    before = rooms_on(db, course, runner, clock)
    first = await before.attach_thread(
        (await before.open(GUILD, CHANNEL, ANA, difficulty=Difficulty.BEGINNER)).id, 9101
    )
    await before.join(first.id, BEN)
    edit = await before.edit_draft(first.id, BEN, HALF, 1)
    await before.draft_posted(first.id, 1, edit.version, 555)
    second = await before.open(GUILD, CHANNEL, BEN)
    await before.attach_thread(second.id, 9102)
    with pytest.raises(RoomLimitReached):
        await before.open(GUILD, CHANNEL, CAL)
    assert (await before.open(GUILD + 1, CHANNEL, CAL)).guild_id == GUILD + 1  # per server

    after = rooms_on(db, course, runner, clock)  # a new process on the same database
    room = await after.in_thread(9101)
    assert room is not None and room.id == first.id
    assert (room.members, room.version, room.draft) == ((ANA, BEN), 2, HALF)
    assert await after.version_shown(first.id, 555) == 2
    with pytest.raises(StaleDraft):  # a reply to the starter's message, after Ben's edit
        await after.edit_draft(first.id, ANA, RIGHT, 1)
    run = await after.run_draft(first.id, ANA)
    assert not run.verdict.accepted
    solved = await after.edit_draft(first.id, ANA, RIGHT, 2)
    done = await after.run_draft(first.id, BEN)
    assert solved.version == 3 and done.solved_now and set(done.credited) == {ANA, BEN}

    # A room nobody touched for a day is closed when the next one opens, freeing its slot.
    clock.advance(hours=25)
    third = await after.open(GUILD, CHANNEL, CAL)
    assert third.is_open and not (await after.get(first.id)).is_open
