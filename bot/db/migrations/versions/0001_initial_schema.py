"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 07:53:53.130567
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "guilds",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("practice_threads", sa.Boolean(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("daily_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("daily_time", sa.String(length=5), nullable=False),
        sa.Column("daily_role_id", sa.BigInteger(), nullable=True),
        sa.Column("daily_difficulty", sa.String(length=16), nullable=True),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guilds")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("dm_reminders", sa.Boolean(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("solved_count", sa.Integer(), nullable=False),
        sa.Column("no_hint_solves", sa.Integer(), nullable=False),
        sa.Column("first_try_solves", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.Column("last_solve_day", sa.Date(), nullable=True),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_table(
        "ai_usage",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("feature", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ai_usage_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_usage")),
    )
    with op.batch_alter_table("ai_usage", schema=None) as batch_op:
        batch_op.create_index("ix_ai_usage_user_created", ["user_id", "created_at"], unique=False)

    op.create_table(
        "auto_runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("queue", sa.JSON(), nullable=False),
        sa.Column("current_problem_id", sa.String(length=100), nullable=True),
        sa.Column("current_reason", sa.String(length=200), nullable=False),
        sa.Column("recent", sa.JSON(), nullable=False),
        sa.Column("solved", sa.Integer(), nullable=False),
        sa.Column("attempted", sa.Integer(), nullable=False),
        sa.Column("started_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("last_activity_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("stopped_at", bot.db.models.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auto_runs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auto_runs")),
    )
    with op.batch_alter_table("auto_runs", schema=None) as batch_op:
        batch_op.create_index("ix_auto_runs_user_active", ["user_id", "active"], unique=False)

    op.create_table(
        "badges",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("awarded_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_badges_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "code", name=op.f("pk_badges")),
    )
    op.create_table(
        "daily_challenges",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("variant_seed", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("posted_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.id"],
            name=op.f("fk_daily_challenges_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_challenges")),
        sa.UniqueConstraint("guild_id", "day", name=op.f("uq_daily_challenges_guild_id")),
    )
    op.create_table(
        "hint_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("variant_seed", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hint_events_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hint_events")),
    )
    with op.batch_alter_table("hint_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hint_events_user_problem", ["user_id", "problem_id"], unique=False
        )

    op.create_table(
        "leaderboard_optins",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.id"],
            name=op.f("fk_leaderboard_optins_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_leaderboard_optins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_leaderboard_optins")),
    )
    op.create_table(
        "practice_threads",
        sa.Column("thread_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("variant_seed", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_practice_threads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", name=op.f("pk_practice_threads")),
    )
    op.create_table(
        "problem_states",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("hints_used", sa.Integer(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("first_try", sa.Boolean(), nullable=False),
        sa.Column("seconds_to_solve", sa.Float(), nullable=True),
        sa.Column("first_seen_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("last_attempt_at", bot.db.models.UtcDateTime(), nullable=True),
        sa.Column("solved_at", bot.db.models.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_problem_states_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "problem_id", name=op.f("pk_problem_states")),
    )
    op.create_table(
        "stat_counters",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("module", sa.String(length=64), nullable=False),
        sa.Column("subtopic", sa.String(length=64), nullable=False),
        sa.Column("problem_type", sa.String(length=64), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("solved", sa.Integer(), nullable=False),
        sa.Column("first_try", sa.Integer(), nullable=False),
        sa.Column("solve_seconds", sa.Float(), nullable=False),
        sa.Column("last_attempt_at", bot.db.models.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_stat_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id",
            "module",
            "subtopic",
            "problem_type",
            "difficulty",
            name=op.f("pk_stat_counters"),
        ),
    )
    op.create_table(
        "subtopic_levels",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("module", sa.String(length=64), nullable=False),
        sa.Column("subtopic", sa.String(length=64), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=False),
        sa.Column("correct_run", sa.Integer(), nullable=False),
        sa.Column("failure_run", sa.Integer(), nullable=False),
        sa.Column("updated_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_subtopic_levels_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "module", "subtopic", name=op.f("pk_subtopic_levels")),
    )
    op.create_table(
        "daily_completions",
        sa.Column(
            "challenge_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("solved_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["daily_challenges.id"],
            name=op.f("fk_daily_completions_challenge_id_daily_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_daily_completions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("challenge_id", "user_id", name=op.f("pk_daily_completions")),
    )
    op.create_table(
        "practice_sessions",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("variant_seed", sa.Integer(), nullable=False),
        sa.Column("context", sa.String(length=16), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "auto_run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "daily_challenge_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("hints_shown", sa.Integer(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["auto_run_id"],
            ["auto_runs.id"],
            name=op.f("fk_practice_sessions_auto_run_id_auto_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["daily_challenge_id"],
            ["daily_challenges.id"],
            name=op.f("fk_practice_sessions_daily_challenge_id_daily_challenges"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_practice_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_practice_sessions")),
    )
    op.create_table(
        "submissions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("context", sa.String(length=16), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("variant_seed", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(length=64), nullable=False),
        sa.Column("subtopic", sa.String(length=64), nullable=False),
        sa.Column("problem_type", sa.String(length=64), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("tests", sa.JSON(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("hints_used", sa.Integer(), nullable=False),
        sa.Column("first_solve", sa.Boolean(), nullable=False),
        sa.Column(
            "auto_run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "daily_challenge_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["auto_run_id"],
            ["auto_runs.id"],
            name=op.f("fk_submissions_auto_run_id_auto_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["daily_challenge_id"],
            ["daily_challenges.id"],
            name=op.f("fk_submissions_daily_challenge_id_daily_challenges"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_submissions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submissions_user_created", ["user_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_submissions_user_problem", ["user_id", "problem_id"], unique=False
        )

    op.create_table(
        "xp_ledger",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=True),
        sa.Column(
            "submission_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_xp_ledger_submission_id_submissions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_xp_ledger_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xp_ledger")),
    )
    with op.batch_alter_table("xp_ledger", schema=None) as batch_op:
        batch_op.create_index(
            "ix_xp_ledger_guild_created",
            ["guild_id", "created_at", "user_id", "amount"],
            unique=False,
        )
        batch_op.create_index("ix_xp_ledger_user", ["user_id", "created_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("xp_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_xp_ledger_user")
        batch_op.drop_index("ix_xp_ledger_guild_created")

    op.drop_table("xp_ledger")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_user_problem")
        batch_op.drop_index("ix_submissions_user_created")

    op.drop_table("submissions")
    op.drop_table("practice_sessions")
    op.drop_table("daily_completions")
    op.drop_table("subtopic_levels")
    op.drop_table("stat_counters")
    op.drop_table("problem_states")
    op.drop_table("practice_threads")
    op.drop_table("leaderboard_optins")
    with op.batch_alter_table("hint_events", schema=None) as batch_op:
        batch_op.drop_index("ix_hint_events_user_problem")

    op.drop_table("hint_events")
    op.drop_table("daily_challenges")
    op.drop_table("badges")
    with op.batch_alter_table("auto_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_auto_runs_user_active")

    op.drop_table("auto_runs")
    with op.batch_alter_table("ai_usage", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_usage_user_created")

    op.drop_table("ai_usage")
    op.drop_table("users")
    op.drop_table("guilds")
