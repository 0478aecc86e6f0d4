"""Engines, sessions and migrations.

SQLite gets WAL, a busy timeout and foreign keys; write transactions start with
``BEGIN IMMEDIATE`` so two writers queue instead of failing to upgrade a read lock. PostgreSQL
serialises per user with ``SELECT ... FOR UPDATE`` in the services.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def database_url(url: str | None, data_dir: Path) -> str:
    """The configured URL, or a SQLite file in the data directory."""
    if url:
        return url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{(data_dir / 'pydojo.sqlite3').resolve()}"


def _sqlite_setup(engine: AsyncEngine, immediate: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITERS, READERS = 4, 8  # pooled SQLite connections (one thread each)


class Database:
    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        options: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            options["pool_pre_ping"] = True
        if self.is_sqlite:
            # Connections stay open: each aiosqlite connection owns a thread, and starting one
            # under load stalls the event loop. Writers queue on the pool, not on SQLITE_BUSY.
            pooled = {"max_overflow": 0, **options}
            self.engine = create_async_engine(url, pool_size=WRITERS, **pooled)
            self.read_engine = create_async_engine(url, pool_size=READERS, **pooled)
        else:
            self.engine = self.read_engine = create_async_engine(url, **options)
        if self.is_sqlite:
            _sqlite_setup(self.engine, immediate=True)
            _sqlite_setup(self.read_engine, immediate=False)
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False)
        self._reader = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed if the block completes, rolled back on any error."""
        async with self._writer() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session, session.begin():
            yield session

    async def open_connections(self) -> None:
        """Open every pooled SQLite connection now rather than on first use under load."""
        if not self.is_sqlite:
            return
        for engine, count in ((self.engine, WRITERS), (self.read_engine, READERS)):
            connections = [await engine.connect() for _ in range(count)]
            for connection in connections:
                await connection.close()

    async def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (applied automatically at start)."""
        await self._alembic(lambda config: command.upgrade(config, revision))

    async def downgrade(self, revision: str = "base") -> None:
        await self._alembic(lambda config: command.downgrade(config, revision))

    async def _alembic(self, action: Any) -> None:
        def run(connection: Connection) -> None:
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            action(config)

        async with self.engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()

    async def close(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def open_database(url: str) -> Database:
    database = Database(url)
    await database.migrate()
    return database
