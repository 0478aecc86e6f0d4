"""Tables. Discord ids are 64-bit snowflakes; times are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# SQLite only makes INTEGER PRIMARY KEY columns auto-increment; BIGINT elsewhere.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every backend, always read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    dm_reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    remind_hours: Mapped[int] = mapped_column(Integer, default=6)  # before local midnight
    reminded_on: Mapped[date | None] = mapped_column(Date)  # local day of the last reminder
    reminder_note: Mapped[str | None] = mapped_column(String(32))  # to tell them: "dm_closed"
    xp: Mapped[int] = mapped_column(Integer, default=0)  # sum of the XP ledger, kept in step
    solved_count: Mapped[int] = mapped_column(Integer, default=0)  # distinct problems solved
    no_hint_solves: Mapped[int] = mapped_column(Integer, default=0)
    first_try_solves: Mapped[int] = mapped_column(Integer, default=0)
    streak: Mapped[int] = mapped_column(Integer, default=0)  # days in a row, user's time zone
    best_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_solve_day: Mapped[date | None] = mapped_column(Date)  # local date of the last solve
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Guild(Base):
    __tablename__ = "guilds"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    practice_threads: Mapped[bool] = mapped_column(Boolean, default=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    daily_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    daily_time: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM, guild tz
    daily_role_id: Mapped[int | None] = mapped_column(BigInteger)
    daily_difficulty: Mapped[str | None] = mapped_column(String(16))
    daily_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    daily_code: Mapped[str] = mapped_column(String(16), default="spoiler")  # | "delete"
    verdicts_private: Mapped[bool] = mapped_column(Boolean, default=False)
    cooldown_seconds: Mapped[float | None] = mapped_column(Float)  # None: the bot's setting
    code_channel_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty: all
    default_difficulty: Mapped[str | None] = mapped_column(String(16))  # None: fits the learner
    ai_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    ai_daily_requests: Mapped[int | None] = mapped_column(Integer)  # None: the bot's setting
    board_channel_id: Mapped[int | None] = mapped_column(BigInteger)  # self-updating board
    board_message_id: Mapped[int | None] = mapped_column(BigInteger)
    board_period: Mapped[str] = mapped_column(String(8), default="week")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Submission(Base):
    """Every judged attempt. Sandbox failures are never stored: they are not the user's."""

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_user_created", "user_id", "created_at"),
        Index("ix_submissions_user_problem", "user_id", "problem_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    context: Mapped[str] = mapped_column(String(16))  # guild | thread | dm | cli
    problem_id: Mapped[str] = mapped_column(String(100))
    variant_seed: Mapped[int] = mapped_column(Integer, default=0)
    module: Mapped[str] = mapped_column(String(64))
    subtopic: Mapped[str] = mapped_column(String(64))
    problem_type: Mapped[str] = mapped_column(String(64))
    difficulty: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(20))
    passed: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    tests: Mapped[list[str]] = mapped_column(JSON)  # per-test status codes, e.g. ["accepted", ...]
    duration_ms: Mapped[int] = mapped_column(Integer)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    first_solve: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_run_id: Mapped[int | None] = mapped_column(ForeignKey("auto_runs.id", ondelete="SET NULL"))
    daily_challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("daily_challenges.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HintEvent(Base):
    __tablename__ = "hint_events"
    __table_args__ = (Index("ix_hint_events_user_problem", "user_id", "problem_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    problem_id: Mapped[str] = mapped_column(String(100))
    variant_seed: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))  # hint | reveal | ai_hint
    level: Mapped[int] = mapped_column(Integer, default=0)  # 1..3 for hints
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProblemState(Base):
    """One learner's history with one problem."""

    __tablename__ = "problem_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    solved: Mapped[bool] = mapped_column(Boolean, default=False)
    first_try: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds_to_solve: Mapped[float | None] = mapped_column(Float)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    solved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class StatCounter(Base):
    """Aggregates per learner and (module, subtopic, type, difficulty), kept in step on record."""

    __tablename__ = "stat_counters"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(64), primary_key=True)
    subtopic: Mapped[str] = mapped_column(String(64), primary_key=True)
    problem_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    difficulty: Mapped[str] = mapped_column(String(16), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    solved: Mapped[int] = mapped_column(Integer, default=0)
    first_try: Mapped[int] = mapped_column(Integer, default=0)
    solve_seconds: Mapped[float] = mapped_column(Float, default=0.0)  # sum, for the mean
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PracticeSession(Base):
    """The problem a learner is working on now (survives restarts)."""

    __tablename__ = "practice_sessions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[str] = mapped_column(String(100))
    variant_seed: Mapped[int] = mapped_column(Integer, default=0)
    context: Mapped[str] = mapped_column(String(16))
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    auto_run_id: Mapped[int | None] = mapped_column(ForeignKey("auto_runs.id", ondelete="SET NULL"))
    daily_challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("daily_challenges.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(200), default="")
    hints_shown: Mapped[int] = mapped_column(Integer, default=0)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PracticeThread(Base):
    """A thread opened for a problem: code posted in it is judged against that problem."""

    __tablename__ = "practice_threads"

    thread_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    problem_id: Mapped[str] = mapped_column(String(100))
    variant_seed: Mapped[int] = mapped_column(Integer, default=0)
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AutoRun(Base):
    __tablename__ = "auto_runs"
    __table_args__ = (Index("ix_auto_runs_user_active", "user_id", "active"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    streak: Mapped[int] = mapped_column(Integer, default=0)  # correct answers in a row
    queue: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # planned items
    current_problem_id: Mapped[str | None] = mapped_column(String(100))
    current_reason: Mapped[str] = mapped_column(String(200), default="")
    recent: Mapped[list[str]] = mapped_column(JSON, default=list)  # problem ids, newest first
    solved: Mapped[int] = mapped_column(Integer, default=0)
    attempted: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SubtopicLevel(Base):
    """Auto mode's difficulty for one learner in one subtopic, and the runs that move it."""

    __tablename__ = "subtopic_levels"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(64), primary_key=True)
    subtopic: Mapped[str] = mapped_column(String(64), primary_key=True)
    difficulty: Mapped[str] = mapped_column(String(16), default="beginner")
    correct_run: Mapped[int] = mapped_column(Integer, default=0)
    failure_run: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DailyChallenge(Base):
    __tablename__ = "daily_challenges"
    __table_args__ = (UniqueConstraint("guild_id", "day"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    problem_id: Mapped[str] = mapped_column(String(100))
    variant_seed: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # set once posted
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime())  # created, then when posted
    # A poster's claim: set before the message is sent, so a restart can tell "maybe sent".
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class DailyCompletion(Base):
    __tablename__ = "daily_completions"

    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("daily_challenges.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer)  # 1 = first solver in the server
    attempts: Mapped[int] = mapped_column(Integer)
    solved_at: Mapped[datetime] = mapped_column(UtcDateTime())


class XpEntry(Base):
    __tablename__ = "xp_ledger"
    __table_args__ = (
        Index("ix_xp_ledger_guild_created", "guild_id", "created_at", "user_id", "amount"),
        Index("ix_xp_ledger_user", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(64))
    problem_id: Mapped[str | None] = mapped_column(String(100))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Badge(Base):
    __tablename__ = "badges"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    awarded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LeaderboardOptIn(Base):
    """A learner who shows all their solves on this server's boards, not only those made here."""

    __tablename__ = "leaderboard_optins"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LeaderboardHidden(Base):
    """A learner who asked not to be listed on this server's boards."""

    __tablename__ = "leaderboard_hidden"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReviewItem(Base):
    """A problem that comes back for another try: due after 1, 3, then 7 days."""

    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_user_due", "user_id", "due_at"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    stage: Mapped[int] = mapped_column(Integer, default=0)  # clean solves since the trouble
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str] = mapped_column(String(16))  # revealed | hints | tries | unsolved | clean
    reason_at: Mapped[datetime] = mapped_column(UtcDateTime())  # when that happened
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AiUsage(Base):
    """One request to the AI model (retries and fallbacks are requests of their own)."""

    __tablename__ = "ai_usage"
    __table_args__ = (
        Index("ix_ai_usage_user_created", "user_id", "created_at"),
        Index("ix_ai_usage_created", "created_at"),
        Index("ix_ai_usage_guild_created", "guild_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    # None for work done for nobody in particular (generating new problems)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    feature: Mapped[str] = mapped_column(String(32))  # hint | explain | review | ask | variant
    model: Mapped[str] = mapped_column(String(64))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    outcome: Mapped[str] = mapped_column(String(32), default="ok")  # ok | quota_minute | ...
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    problem_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AiAction(Base):
    """Something a learner asked the tutor for, what they got, and the submission before it.

    Whether the learner's next submission on the problem was accepted is read from
    ``submissions``: the first one on ``problem_id`` with an id above ``after_submission_id``.
    """

    __tablename__ = "ai_actions"
    __table_args__ = (
        Index("ix_ai_actions_created", "created_at"),
        Index("ix_ai_actions_guild_created", "guild_id", "created_at"),
        Index("ix_ai_actions_user_problem", "user_id", "problem_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    problem_id: Mapped[str] = mapped_column(String(100))
    feature: Mapped[str] = mapped_column(String(32))  # hint | explain | review | ask
    served: Mapped[str] = mapped_column(String(16))  # ai | cached | curated
    reason: Mapped[str] = mapped_column(String(32), default="")  # why curated: off | hearts | ...
    prompt_version: Mapped[str] = mapped_column(String(32), default="")
    after_submission_id: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AiHearts(Base):
    """A learner's tutor hearts: one is spent per AI answer and one comes back at a time."""

    __tablename__ = "ai_hearts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    hearts: Mapped[int] = mapped_column(Integer)
    refill_from: Mapped[datetime] = mapped_column(UtcDateTime())  # the next heart counts from here


class TutorMessage(Base):
    """The /ask conversation about one problem, so the tutor remembers it across restarts."""

    __tablename__ = "tutor_messages"
    __table_args__ = (Index("ix_tutor_messages_user_problem", "user_id", "problem_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    problem_id: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(8))  # learner | tutor
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AiCacheEntry(Base):
    """An answer that passed the checks, reused when the same question comes again."""

    __tablename__ = "ai_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the question
    feature: Mapped[str] = mapped_column(String(32))
    problem_id: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GeneratedProblem(Base):
    """A model-written problem that passed the course's proof in the sandbox."""

    __tablename__ = "generated_problems"
    __table_args__ = (Index("ix_generated_problems_module", "module", "difficulty"),)

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    module: Mapped[str] = mapped_column(String(64))
    subtopic: Mapped[str] = mapped_column(String(64))
    problem_type: Mapped[str] = mapped_column(String(64))
    difficulty: Mapped[str] = mapped_column(String(16))
    source_problem_id: Mapped[str] = mapped_column(String(100))  # the example it was modelled on
    statement_digest: Mapped[str] = mapped_column(String(64), unique=True)
    tests_digest: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # the curriculum's Problem, as JSON
    model: Mapped[str] = mapped_column(String(64))
    prompt_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StudyRoom(Base):
    """A thread where a group works one problem at a time on a shared, versioned draft."""

    __tablename__ = "study_rooms"
    __table_args__ = (Index("ix_study_rooms_guild_status", "guild_id", "status"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    channel_id: Mapped[int] = mapped_column(BigInteger)  # where the thread was opened
    thread_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)  # None while opening
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    difficulty: Mapped[str | None] = mapped_column(String(16))  # asked for; next problems keep it
    round: Mapped[int] = mapped_column(Integer, default=1)  # the n-th problem of the room
    problem_id: Mapped[str] = mapped_column(String(100))
    variant_seed: Mapped[int] = mapped_column(Integer, default=0)
    draft_version: Mapped[int] = mapped_column(Integer, default=1)  # compared on every edit
    draft_source: Mapped[str] = mapped_column(Text)
    round_started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    round_solved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class StudyRoomMember(Base):
    __tablename__ = "study_room_members"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("study_rooms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StudyRoomDraft(Base):
    """Every version of a room's draft, per round: who wrote it, on which version it was based,
    and the message that shows it (replying to that message edits from that version)."""

    __tablename__ = "study_room_drafts"
    __table_args__ = (Index("ix_study_room_drafts_message", "message_id"),)

    room_id: Mapped[int] = mapped_column(
        ForeignKey("study_rooms.id", ondelete="CASCADE"), primary_key=True
    )
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(BigInteger)  # None: the problem's starter
    base_version: Mapped[int | None] = mapped_column(Integer)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StudyRoomAttempt(Base):
    """A judged attempt in a room: a member's own code, or a run of the shared draft."""

    __tablename__ = "study_room_attempts"
    __table_args__ = (Index("ix_study_room_attempts_room_round", "room_id", "round"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("study_rooms.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(BigInteger)
    problem_id: Mapped[str] = mapped_column(String(100))
    draft_version: Mapped[int | None] = mapped_column(Integer)  # set for draft runs
    source: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(20))
    passed: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TeamSolve(Base):
    """A room's accepted draft, credited to each member who wrote a version of it; counted
    apart from solo solves (no XP, streak or problem state)."""

    __tablename__ = "team_solves"
    __table_args__ = (Index("ix_team_solves_user", "user_id"),)

    room_id: Mapped[int] = mapped_column(
        ForeignKey("study_rooms.id", ondelete="CASCADE"), primary_key=True
    )
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[str] = mapped_column(String(100))
    seconds: Mapped[float] = mapped_column(Float)  # from the round's start to the accepted run
    solved_at: Mapped[datetime] = mapped_column(UtcDateTime())
