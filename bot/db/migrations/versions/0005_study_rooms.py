"""study rooms: shared drafts, room attempts and team solves

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_rooms",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("variant_seed", sa.Integer(), nullable=False),
        sa.Column("draft_version", sa.Integer(), nullable=False),
        sa.Column("draft_source", sa.Text(), nullable=False),
        sa.Column("round_started_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("round_solved_at", bot.db.models.UtcDateTime(), nullable=True),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("last_activity_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.Column("closed_at", bot.db.models.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_study_rooms_created_by_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_rooms")),
        sa.UniqueConstraint("thread_id", name=op.f("uq_study_rooms_thread_id")),
    )
    with op.batch_alter_table("study_rooms", schema=None) as batch_op:
        batch_op.create_index("ix_study_rooms_guild_status", ["guild_id", "status"], unique=False)

    op.create_table(
        "study_room_attempts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("room_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("draft_version", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["study_rooms.id"],
            name=op.f("fk_study_room_attempts_room_id_study_rooms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_room_attempts")),
    )
    with op.batch_alter_table("study_room_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_study_room_attempts_room_round", ["room_id", "round"], unique=False
        )

    op.create_table(
        "study_room_drafts",
        sa.Column("room_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["study_rooms.id"],
            name=op.f("fk_study_room_drafts_room_id_study_rooms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", "round", "version", name=op.f("pk_study_room_drafts")),
    )
    with op.batch_alter_table("study_room_drafts", schema=None) as batch_op:
        batch_op.create_index("ix_study_room_drafts_message", ["message_id"], unique=False)

    op.create_table(
        "study_room_members",
        sa.Column("room_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("joined_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["study_rooms.id"],
            name=op.f("fk_study_room_members_room_id_study_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_study_room_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_study_room_members")),
    )
    op.create_table(
        "team_solves",
        sa.Column("room_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("solved_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["study_rooms.id"],
            name=op.f("fk_team_solves_room_id_study_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_team_solves_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("room_id", "round", "user_id", name=op.f("pk_team_solves")),
    )
    with op.batch_alter_table("team_solves", schema=None) as batch_op:
        batch_op.create_index("ix_team_solves_user", ["user_id"], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table("team_solves", schema=None) as batch_op:
        batch_op.drop_index("ix_team_solves_user")

    op.drop_table("team_solves")
    op.drop_table("study_room_members")
    with op.batch_alter_table("study_room_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_study_room_drafts_message")

    op.drop_table("study_room_drafts")
    with op.batch_alter_table("study_room_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_study_room_attempts_room_round")

    op.drop_table("study_room_attempts")
    with op.batch_alter_table("study_rooms", schema=None) as batch_op:
        batch_op.drop_index("ix_study_rooms_guild_status")

    op.drop_table("study_rooms")
    # ### end Alembic commands ###
