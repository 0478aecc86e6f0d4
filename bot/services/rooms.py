"""Study rooms: a group works one problem at a time on a shared, versioned draft.

A room lives in a server thread. Members (who pressed Join) post their own attempts, each
judged and shown to the room, and edit one shared draft. Every edit names the version it was
based on; the stored version is compared and bumped in one conditional UPDATE (optimistic
concurrency), so of two edits of the same version the second is refused with the diff to
merge, never applied over the first. Running the draft judges it; an accepted run solves the
round once, credits a *team solve* to everyone who wrote a version of the draft (kept apart from
solo solves: no XP, streak or problem state), and the room moves on to another problem or
closes. All state is in the database, so a room carries on after a restart.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import (
    Guild,
    StudyRoom,
    StudyRoomAttempt,
    StudyRoomDraft,
    StudyRoomMember,
    TeamSolve,
)
from curriculum import Curriculum, Difficulty, Problem, Variant, VariantCache, pick_problem
from curriculum.variants import variant_text
from runner import Runner, Status, Verdict

from .catalog import find_problem
from .clock import Clock, utc_now
from .errors import (
    NotAMember,
    NothingMatches,
    NotRoomOwner,
    PastRound,
    ProblemGone,
    RoomClosed,
    RoomGone,
    RoomLimitReached,
    RoundSolved,
    StaleDraft,
    UnchangedDraft,
)
from .gate import JobGate
from .source import check_source
from .users import ensure_guild, lock_user

log = logging.getLogger(__name__)

OPEN, CLOSED = "open", "closed"
DEFAULT_ROOM_LIMIT = 3  # open rooms per server
IDLE_AFTER = timedelta(hours=24)  # a room nobody touched for this long is closed, freeing a slot
OPENING_TIMEOUT = timedelta(minutes=5)  # a room whose thread was never made is dropped
DIFF_CONTEXT = 1


# -- what the room looks like ------------------------------------------------------------------


@dataclass(frozen=True)
class RoomState:
    id: int
    guild_id: int
    channel_id: int
    thread_id: int | None
    created_by: int
    status: str
    difficulty: Difficulty | None
    round: int
    problem: Problem
    seed: int
    version: int
    draft: str
    round_started_at: datetime
    round_solved_at: datetime | None
    members: tuple[int, ...]

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def title(self) -> str:
        return variant_text(self.problem, self.seed).title


@dataclass(frozen=True)
class DraftEdit:
    room: RoomState
    version: int  # the new one
    base_version: int
    author_id: int
    diff: list[str]


@dataclass(frozen=True)
class RoomJudged:
    room: RoomState
    author_id: int
    variant: Variant
    verdict: Verdict
    draft_version: int | None  # the version run, or None for a member's own code
    solved_now: bool = False  # this run solved the round
    credited: tuple[int, ...] = ()
    seconds: float | None = None  # the round's time, when solved now


@dataclass(frozen=True)
class SolvedRound:
    round: int
    problem_id: str
    seconds: float
    credited: tuple[int, ...]


@dataclass(frozen=True)
class MemberScore:
    user_id: int
    team_solves: int  # in this room
    versions: int  # draft versions written in this room
    attempts: int  # own attempts judged in this room
    team_solves_overall: int


@dataclass(frozen=True)
class Scoreboard:
    room: RoomState
    solved: list[SolvedRound]
    members: list[MemberScore]

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.solved)


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """The lines of a unified diff from ``old`` to ``new`` (no trailing newlines)."""
    return list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            old_label,
            new_label,
            n=DIFF_CONTEXT,
            lineterm="",
        )
    )


def _normalised(source: str) -> str:
    return source.rstrip() + "\n"


class RoomService:
    def __init__(
        self,
        db: Database,
        curriculum: Curriculum,
        runner: Runner,
        variants: VariantCache,
        gate: JobGate,
        clock: Clock = utc_now,
        *,
        limit: int = DEFAULT_ROOM_LIMIT,
    ) -> None:
        self.db = db
        self.curriculum = curriculum
        self.runner = runner
        self.variants = variants
        self.gate = gate
        self.clock = clock
        self.limit = limit

    # -- opening and finding rooms ---------------------------------------------------------------

    def choose(
        self, problem: str | None, difficulty: Difficulty | None, *, done: Sequence[str] = ()
    ) -> Problem:
        """The asked-for problem, or one of ``difficulty`` the room has not done yet."""
        if problem:
            return find_problem(self.curriculum, problem)
        picked = pick_problem(
            self.curriculum, difficulty=difficulty, solved=done, recent=list(done)
        )
        if picked is None:
            raise NothingMatches(None, difficulty)
        return picked

    async def open(
        self,
        guild_id: int,
        channel_id: int,
        user_id: int,
        *,
        problem: str | None = None,
        difficulty: Difficulty | None = None,
    ) -> RoomState:
        """Reserve a room (its thread is attached next, by ``attach_thread``)."""
        chosen = self.choose(problem, difficulty)
        starter = _normalised(variant_text(chosen, 0).starter)
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            await ensure_guild(session, guild_id, now)
            # The guild row is the lock that keeps two openings from both taking the last slot.
            await session.execute(select(Guild.id).where(Guild.id == guild_id).with_for_update())
            await self._tidy(session, guild_id, now)
            opened = await session.scalar(
                select(func.count())
                .select_from(StudyRoom)
                .where(StudyRoom.guild_id == guild_id, StudyRoom.status == OPEN)
            )
            if (opened or 0) >= self.limit:
                raise RoomLimitReached(self.limit)
            room = StudyRoom(
                guild_id=guild_id,
                channel_id=channel_id,
                created_by=user_id,
                status=OPEN,
                difficulty=(difficulty or chosen.difficulty).value,
                round=1,
                problem_id=chosen.id,
                variant_seed=0,
                draft_version=1,
                draft_source=starter,
                round_started_at=now,
                created_at=now,
                last_activity_at=now,
            )
            session.add(room)
            await session.flush()
            session.add(
                StudyRoomDraft(room_id=room.id, round=1, version=1, source=starter, created_at=now)
            )
            session.add(StudyRoomMember(room_id=room.id, user_id=user_id, joined_at=now))
            return await self._state(session, room)

    async def _tidy(self, session: AsyncSession, guild_id: int, now: datetime) -> None:
        """Close rooms idle too long, drop reservations whose thread never came."""
        await session.execute(
            update(StudyRoom)
            .where(
                StudyRoom.guild_id == guild_id,
                StudyRoom.status == OPEN,
                StudyRoom.last_activity_at < now - IDLE_AFTER,
            )
            .values(status=CLOSED, closed_at=now)
        )
        await session.execute(
            delete(StudyRoom).where(
                StudyRoom.guild_id == guild_id,
                StudyRoom.thread_id.is_(None),
                StudyRoom.created_at < now - OPENING_TIMEOUT,
            )
        )

    async def attach_thread(self, room_id: int, thread_id: int) -> RoomState:
        async with self.db.write() as session:
            room = await self._room(session, room_id)
            room.thread_id = thread_id
            return await self._state(session, room)

    async def discard(self, room_id: int) -> None:
        """A reservation whose thread could not be made."""
        async with self.db.write() as session:
            await session.execute(
                delete(StudyRoom).where(StudyRoom.id == room_id, StudyRoom.thread_id.is_(None))
            )

    async def get(self, room_id: int) -> RoomState:
        async with self.db.read() as session:
            return await self._state(session, await self._room(session, room_id))

    async def in_thread(self, thread_id: int) -> RoomState | None:
        async with self.db.read() as session:
            room = await session.scalar(select(StudyRoom).where(StudyRoom.thread_id == thread_id))
            return await self._state(session, room) if room is not None else None

    async def join(self, room_id: int, user_id: int) -> tuple[RoomState, bool]:
        """(the room, True if the learner was not a member yet)."""
        async with self.db.write() as session:
            now = self.clock()
            room = await self._room(session, room_id)
            if room.status != OPEN:
                raise RoomClosed()
            await lock_user(session, user_id, now)
            known = await session.get(StudyRoomMember, (room_id, user_id))
            if known is None:
                session.add(StudyRoomMember(room_id=room_id, user_id=user_id, joined_at=now))
                room.last_activity_at = now
                await session.flush()
            return await self._state(session, room), known is None

    # -- the shared draft ------------------------------------------------------------------------

    async def edit_draft(
        self, room_id: int, user_id: int, source: str | bytes, base_version: int
    ) -> DraftEdit:
        """Replace the draft, if ``base_version`` is still the latest; else ``StaleDraft``."""
        text = _normalised(check_source(source))
        async with self.db.write() as session:
            now = self.clock()
            room = await self._room(session, room_id)
            await self._check_member(session, room, user_id)
            if room.round_solved_at is not None:
                raise RoundSolved()
            old, current = room.draft_source, room.draft_version
            if current != base_version:
                raise await self._stale(session, room, base_version, text)
            if text == old:
                raise UnchangedDraft(current)
            bumped = await session.execute(
                update(StudyRoom)
                .where(StudyRoom.id == room_id, StudyRoom.draft_version == base_version)
                .values(draft_version=base_version + 1, draft_source=text, last_activity_at=now)
                .execution_options(synchronize_session=False)
            )
            if bumped.rowcount != 1:  # another edit committed between our read and write
                await session.refresh(room)
                raise await self._stale(session, room, base_version, text)
            session.add(
                StudyRoomDraft(
                    room_id=room_id,
                    round=room.round,
                    version=base_version + 1,
                    source=text,
                    author_id=user_id,
                    base_version=base_version,
                    created_at=now,
                )
            )
            await session.flush()
            await session.refresh(room)
            diff = unified_diff(old, text, f"v{base_version}", f"v{base_version + 1}")
            return DraftEdit(
                await self._state(session, room), base_version + 1, base_version, user_id, diff
            )

    async def _stale(
        self, session: AsyncSession, room: StudyRoom, based_on: int, yours: str
    ) -> StaleDraft:
        latest = await session.get(StudyRoomDraft, (room.id, room.round, room.draft_version))
        return StaleDraft(
            based_on=based_on,
            current=room.draft_version,
            current_author=latest.author_id if latest else None,
            current_source=room.draft_source,
            yours=yours,
            diff=unified_diff(
                room.draft_source, yours, f"v{room.draft_version} (latest)", "your edit"
            ),
        )

    async def draft_posted(self, room_id: int, round_: int, version: int, message_id: int) -> None:
        """The message showing a version: replying to it edits from that version."""
        async with self.db.write() as session:
            await session.execute(
                update(StudyRoomDraft)
                .where(
                    StudyRoomDraft.room_id == room_id,
                    StudyRoomDraft.round == round_,
                    StudyRoomDraft.version == version,
                )
                .values(message_id=message_id)
            )

    async def version_shown(self, room_id: int, message_id: int) -> int | None:
        """The draft version a message of this room shows, or None; ``PastRound`` for a
        message of a problem the room has left."""
        async with self.db.read() as session:
            row = (
                await session.execute(
                    select(StudyRoomDraft.round, StudyRoomDraft.version).where(
                        StudyRoomDraft.room_id == room_id, StudyRoomDraft.message_id == message_id
                    )
                )
            ).first()
            if row is None:
                return None
            room = await self._room(session, room_id)
            if row.round != room.round:
                raise PastRound()
            return int(row.version)

    # -- judging ---------------------------------------------------------------------------------

    async def attempt(self, room_id: int, user_id: int, source: str | bytes) -> RoomJudged:
        """A member's own code, judged against the room's problem and shown to the room."""
        text = check_source(source)
        room = await self.get(room_id)
        await self._require_member(room, user_id)
        variant = await self.variants.get(room.problem, room.seed)
        async with self.gate.slot(user_id):
            verdict = await self.runner.judge(text, variant.spec, owner=str(user_id))
        if verdict.status is not Status.SANDBOX_ERROR:
            async with self.db.write() as session:
                self._add_attempt(session, room, user_id, text, verdict, None, self.clock())
                await session.execute(
                    update(StudyRoom)
                    .where(StudyRoom.id == room_id)
                    .values(last_activity_at=self.clock())
                )
        return RoomJudged(room, user_id, variant, verdict, None)

    async def run_draft(self, room_id: int, user_id: int) -> RoomJudged:
        """Judge the latest draft; accepted, it solves the round and credits its writers."""
        room = await self.get(room_id)
        await self._require_member(room, user_id)
        if room.round_solved_at is not None:
            raise RoundSolved()
        variant = await self.variants.get(room.problem, room.seed)
        # One run per room at a time, in its own lane of the gate (user ids are positive).
        async with self.gate.slot(-room_id):
            verdict = await self.runner.judge(room.draft, variant.spec, owner=f"room-{room_id}")
        if verdict.status is Status.SANDBOX_ERROR:
            log.warning("sandbox error running the draft of room %s", room_id)
            return RoomJudged(room, user_id, variant, verdict, room.version)
        async with self.db.write() as session:
            now = self.clock()
            self._add_attempt(session, room, user_id, room.draft, verdict, room.version, now)
            credited: tuple[int, ...] = ()
            seconds = None
            solved = False
            if verdict.accepted:
                marked = await session.execute(
                    update(StudyRoom)
                    .where(
                        StudyRoom.id == room_id,
                        StudyRoom.round == room.round,
                        StudyRoom.status == OPEN,
                        StudyRoom.round_solved_at.is_(None),
                    )
                    .values(round_solved_at=now, last_activity_at=now)
                    .execution_options(synchronize_session=False)
                )
                solved = marked.rowcount == 1
            if solved:
                seconds = max(0.0, (now - room.round_started_at).total_seconds())
                credited = await self._credit(session, room, user_id, seconds, now)
            state = await self._state(session, await self._room(session, room_id))
        return RoomJudged(state, user_id, variant, verdict, room.version, solved, credited, seconds)

    async def _credit(
        self, session: AsyncSession, room: RoomState, runner_id: int, seconds: float, now: datetime
    ) -> tuple[int, ...]:
        """Everyone who wrote a version up to the accepted one (the runner, if nobody did)."""
        authors = await session.scalars(
            select(StudyRoomDraft.author_id)
            .where(
                StudyRoomDraft.room_id == room.id,
                StudyRoomDraft.round == room.round,
                StudyRoomDraft.version <= room.version,
                StudyRoomDraft.author_id.is_not(None),
            )
            .order_by(StudyRoomDraft.version)
        )
        credited = tuple(dict.fromkeys(a for a in authors if a is not None)) or (runner_id,)
        for member in credited:
            await lock_user(session, member, now)
            session.add(
                TeamSolve(
                    room_id=room.id,
                    round=room.round,
                    user_id=member,
                    problem_id=room.problem.id,
                    seconds=seconds,
                    solved_at=now,
                )
            )
        return credited

    @staticmethod
    def _add_attempt(
        session: AsyncSession,
        room: RoomState,
        user_id: int,
        source: str,
        verdict: Verdict,
        version: int | None,
        now: datetime,
    ) -> None:
        session.add(
            StudyRoomAttempt(
                room_id=room.id,
                round=room.round,
                user_id=user_id,
                problem_id=room.problem.id,
                draft_version=version,
                source=source,
                verdict=verdict.status.value,
                passed=verdict.passed,
                total=verdict.total,
                created_at=now,
            )
        )

    # -- moving on -------------------------------------------------------------------------------

    async def next_problem(
        self, room_id: int, user_id: int, from_round: int, *, moderator: bool = False
    ) -> tuple[RoomState, bool]:
        """(the room, True if this call moved it on). After a solve any member may move on;
        before one, only the room's owner (or a moderator) skips."""
        async with self.db.write() as session:
            now = self.clock()
            room = await self._room(session, room_id)
            await self._check_member(session, room, user_id, moderator=moderator)
            if room.round != from_round:
                return await self._state(session, room), False  # someone pressed it first
            if room.round_solved_at is None and not (moderator or user_id == room.created_by):
                raise NotRoomOwner(room.created_by)
            done = list(
                await session.scalars(
                    select(StudyRoomAttempt.problem_id)
                    .where(StudyRoomAttempt.room_id == room_id)
                    .order_by(StudyRoomAttempt.id.desc())
                )
            )
            done = list(dict.fromkeys([room.problem_id, *done]))
            level = Difficulty(room.difficulty) if room.difficulty else None
            chosen = self.choose(None, level, done=done)
            starter = _normalised(variant_text(chosen, 0).starter)
            moved = await session.execute(
                update(StudyRoom)
                .where(StudyRoom.id == room_id, StudyRoom.round == from_round)
                .values(
                    round=from_round + 1,
                    problem_id=chosen.id,
                    variant_seed=0,
                    draft_version=1,
                    draft_source=starter,
                    round_started_at=now,
                    round_solved_at=None,
                    last_activity_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:
                await session.refresh(room)
                return await self._state(session, room), False
            session.add(
                StudyRoomDraft(
                    room_id=room_id, round=from_round + 1, version=1, source=starter, created_at=now
                )
            )
            await session.flush()
            await session.refresh(room)
            return await self._state(session, room), True

    async def close(self, room_id: int, user_id: int, *, moderator: bool = False) -> Scoreboard:
        async with self.db.write() as session:
            now = self.clock()
            room = await self._room(session, room_id)
            if room.status == OPEN:
                if not (moderator or user_id == room.created_by):
                    raise NotRoomOwner(room.created_by)
                room.status, room.closed_at = CLOSED, now
                await session.flush()
        return await self.scoreboard(room_id)

    # -- the scoreboard --------------------------------------------------------------------------

    async def scoreboard(self, room_id: int) -> Scoreboard:
        async with self.db.read() as session:
            room = await self._state(session, await self._room(session, room_id))
            solves = (
                await session.execute(
                    select(
                        TeamSolve.round, TeamSolve.problem_id, TeamSolve.seconds, TeamSolve.user_id
                    )
                    .where(TeamSolve.room_id == room_id)
                    .order_by(TeamSolve.round, TeamSolve.solved_at, TeamSolve.user_id)
                )
            ).all()
            rounds: dict[int, SolvedRound] = {}
            for round_, problem_id, seconds, member in solves:
                known = rounds.get(round_)
                credited = (*known.credited, member) if known else (member,)
                rounds[round_] = SolvedRound(round_, problem_id, seconds, credited)
            versions = dict(
                (
                    await session.execute(
                        select(StudyRoomDraft.author_id, func.count())
                        .where(StudyRoomDraft.room_id == room_id)
                        .group_by(StudyRoomDraft.author_id)
                    )
                ).all()
            )
            attempts = dict(
                (
                    await session.execute(
                        select(StudyRoomAttempt.user_id, func.count())
                        .where(
                            StudyRoomAttempt.room_id == room_id,
                            StudyRoomAttempt.draft_version.is_(None),
                        )
                        .group_by(StudyRoomAttempt.user_id)
                    )
                ).all()
            )
            overall = dict(
                (
                    await session.execute(
                        select(TeamSolve.user_id, func.count())
                        .where(TeamSolve.user_id.in_(room.members))
                        .group_by(TeamSolve.user_id)
                    )
                ).all()
            )
        here: dict[int, int] = {}
        for solved in rounds.values():
            for member in solved.credited:
                here[member] = here.get(member, 0) + 1
        members = [
            MemberScore(
                m, here.get(m, 0), versions.get(m, 0), attempts.get(m, 0), overall.get(m, 0)
            )
            for m in room.members
        ]
        members.sort(key=lambda s: (-s.team_solves, -s.versions, -s.attempts, s.user_id))
        return Scoreboard(room, list(rounds.values()), members)

    async def team_solves(self, user_id: int) -> int:
        """A learner's team solves, in every room (solo solves are counted elsewhere)."""
        async with self.db.read() as session:
            found = await session.scalar(
                select(func.count()).select_from(TeamSolve).where(TeamSolve.user_id == user_id)
            )
        return found or 0

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    async def _room(session: AsyncSession, room_id: int) -> StudyRoom:
        room = await session.get(StudyRoom, room_id, populate_existing=True)
        if room is None:
            raise RoomGone()
        return room

    @staticmethod
    async def _check_member(
        session: AsyncSession, room: StudyRoom, user_id: int, *, moderator: bool = False
    ) -> None:
        if room.status != OPEN:
            raise RoomClosed()
        if not moderator and await session.get(StudyRoomMember, (room.id, user_id)) is None:
            raise NotAMember()

    @staticmethod
    async def _require_member(room: RoomState, user_id: int) -> None:
        if not room.is_open:
            raise RoomClosed()
        if user_id not in room.members:
            raise NotAMember()

    async def _state(self, session: AsyncSession, room: StudyRoom) -> RoomState:
        problem = self.curriculum.get(room.problem_id)
        if problem is None:
            raise ProblemGone(room.problem_id)
        members = tuple(
            await session.scalars(
                select(StudyRoomMember.user_id)
                .where(StudyRoomMember.room_id == room.id)
                .order_by(StudyRoomMember.joined_at, StudyRoomMember.user_id)
            )
        )
        return RoomState(
            id=room.id,
            guild_id=room.guild_id,
            channel_id=room.channel_id,
            thread_id=room.thread_id,
            created_by=room.created_by,
            status=room.status,
            difficulty=Difficulty(room.difficulty) if room.difficulty else None,
            round=room.round,
            problem=problem,
            seed=room.variant_seed,
            version=room.draft_version,
            draft=room.draft_source,
            round_started_at=room.round_started_at,
            round_solved_at=room.round_solved_at,
            members=members,
        )
