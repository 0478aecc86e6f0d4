"""Migrations: upgrade from empty to the models' schema, and back down to nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import Base, Database


async def tables(db: Database) -> set[str]:
    async with db.engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def test_upgrade_matches_the_models_and_downgrade_removes_everything(db: Database) -> None:
    assert set(Base.metadata.tables) <= await tables(db)

    def differences(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
    await db.downgrade("base")
    assert await tables(db) <= {"alembic_version"}
    await db.migrate()  # and up again
    assert set(Base.metadata.tables) <= await tables(db)
