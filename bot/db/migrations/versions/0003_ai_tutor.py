"""AI tutor: usage per request, actions and their outcome, hearts, /ask memory, answer cache,
generated problems

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01 23:26:50.264358
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ai_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("feature", sa.String(length=32), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ai_cache")),
    )
    op.create_table(
        "generated_problems",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("module", sa.String(length=64), nullable=False),
        sa.Column("subtopic", sa.String(length=64), nullable=False),
        sa.Column("problem_type", sa.String(length=64), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=False),
        sa.Column("source_problem_id", sa.String(length=100), nullable=False),
        sa.Column("statement_digest", sa.String(length=64), nullable=False),
        sa.Column("tests_digest", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("prompt_version", sa.String(length=32), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_problems")),
        sa.UniqueConstraint(
            "statement_digest", name=op.f("uq_generated_problems_statement_digest")
        ),
        sa.UniqueConstraint("tests_digest", name=op.f("uq_generated_problems_tests_digest")),
    )
    with op.batch_alter_table("generated_problems", schema=None) as batch_op:
        batch_op.create_index(
            "ix_generated_problems_module", ["module", "difficulty"], unique=False
        )

    op.create_table(
        "ai_actions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=True),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("feature", sa.String(length=32), nullable=False),
        sa.Column("served", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("prompt_version", sa.String(length=32), nullable=False),
        sa.Column("after_submission_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ai_actions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_actions")),
    )
    with op.batch_alter_table("ai_actions", schema=None) as batch_op:
        batch_op.create_index("ix_ai_actions_created", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_ai_actions_guild_created", ["guild_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_ai_actions_user_problem", ["user_id", "problem_id"], unique=False)

    op.create_table(
        "ai_hearts",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("hearts", sa.Integer(), nullable=False),
        sa.Column("refill_from", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ai_hearts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_ai_hearts")),
    )
    op.create_table(
        "tutor_messages",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", bot.db.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_tutor_messages_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tutor_messages")),
    )
    with op.batch_alter_table("tutor_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tutor_messages_user_problem", ["user_id", "problem_id", "id"], unique=False
        )

    with op.batch_alter_table("ai_usage", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=32), nullable=False, server_default="ok")
        )
        batch_op.add_column(
            sa.Column("latency_ms", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("problem_id", sa.String(length=100), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.BIGINT(), nullable=True)
        batch_op.create_index("ix_ai_usage_created", ["created_at"], unique=False)
        batch_op.create_index("ix_ai_usage_guild_created", ["guild_id", "created_at"], unique=False)


def downgrade() -> None:
    # Requests made for nobody (problem generation) cannot go back into a NOT NULL column.
    op.execute("DELETE FROM ai_usage WHERE user_id IS NULL")
    with op.batch_alter_table("ai_usage", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_usage_guild_created")
        batch_op.drop_index("ix_ai_usage_created")
        batch_op.alter_column("user_id", existing_type=sa.BIGINT(), nullable=False)
        batch_op.drop_column("problem_id")
        batch_op.drop_column("latency_ms")
        batch_op.drop_column("outcome")

    with op.batch_alter_table("tutor_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_tutor_messages_user_problem")

    op.drop_table("tutor_messages")
    op.drop_table("ai_hearts")
    with op.batch_alter_table("ai_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_actions_user_problem")
        batch_op.drop_index("ix_ai_actions_guild_created")
        batch_op.drop_index("ix_ai_actions_created")

    op.drop_table("ai_actions")
    with op.batch_alter_table("generated_problems", schema=None) as batch_op:
        batch_op.drop_index("ix_generated_problems_module")

    op.drop_table("generated_problems")
    op.drop_table("ai_cache")
