"""Study groups: server settings, daily posting claims, reminders, hidden learners, reviews

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def guild_columns() -> list[sa.Column]:
    return [
        sa.Column("daily_enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("daily_code", sa.String(length=16), nullable=False, server_default="spoiler"),
        sa.Column("verdicts_private", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("cooldown_seconds", sa.Float(), nullable=True),
        sa.Column("code_channel_ids", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("default_difficulty", sa.String(length=16), nullable=True),
        sa.Column("ai_enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("ai_daily_requests", sa.Integer(), nullable=True),
        sa.Column("board_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("board_message_id", sa.BigInteger(), nullable=True),
        sa.Column("board_period", sa.String(length=8), nullable=False, server_default="week"),
    ]


def user_columns() -> list[sa.Column]:
    return [
        sa.Column("remind_hours", sa.Integer(), nullable=False, server_default="6"),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("reminder_note", sa.String(length=32), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("guilds", schema=None) as batch_op:
        for column in guild_columns():
            batch_op.add_column(column)
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in user_columns():
            batch_op.add_column(column)
    with op.batch_alter_table("daily_challenges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", bot.db.models.UtcDateTime(), nullable=True))

    op.create_table(
        "leaderboard_hidden",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.id"],
            name=op.f("fk_leaderboard_hidden_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_leaderboard_hidden_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_leaderboard_hidden")),
    )
    op.create_table(
        "review_items",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("due_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("reason_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_items_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "problem_id", name=op.f("pk_review_items")),
    )
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.create_index("ix_review_items_user_due", ["user_id", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.drop_index("ix_review_items_user_due")
    op.drop_table("review_items")
    op.drop_table("leaderboard_hidden")
    with op.batch_alter_table("daily_challenges", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in reversed(user_columns()):
            batch_op.drop_column(column.name)
    with op.batch_alter_table("guilds", schema=None) as batch_op:
        for column in reversed(guild_columns()):
            batch_op.drop_column(column.name)
