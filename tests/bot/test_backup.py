"""`pydojo db backup`: a real SQLite database, copied while it is being written to."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.backup import BackupError, backup_command, backup_sqlite
from bot.db import Database
from bot.services.automode import AutoModeService
from bot.services.progress import ProgressService, SubmissionIn
from bot.settings import Settings
from tests.bot.conftest import verdict


async def test_backup_while_the_bot_writes(tmp_path: Path, course, clock) -> None:
    path = tmp_path / "pydojo.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    progress = ProgressService(db, course, AutoModeService(db, course, clock), clock)
    problem = next(iter(course.problems.values()))

    async def record(user: int) -> None:
        await progress.record(
            SubmissionIn(
                user_id=user,
                problem=problem,
                source="x = 1",
                verdict=verdict(),
                seed=0,
                context="dm",
            )
        )

    await asyncio.gather(*(record(u) for u in range(20)))
    writing = asyncio.gather(*(record(u) for u in range(20, 60)))
    target = tmp_path / "backups" / "copy.sqlite3"
    pages = await asyncio.to_thread(backup_sqlite, path, target)
    await writing
    await db.close()

    assert pages > 0 and target.exists()
    assert not (target.parent / f".{target.name}.partial").exists()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = copy.execute("SELECT count(*) FROM submissions").fetchone()[0]
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert 20 <= rows <= 60 and revision  # a consistent snapshot from some moment in between
    # restoring is copying the file back: the copy opens and migrates as a database
    restored = Database(f"sqlite+aiosqlite:///{target}")
    await restored.migrate()
    await restored.close()

    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(path, target)
    assert backup_sqlite(path, target, force=True) > 0
    with pytest.raises(BackupError, match="no database"):
        backup_sqlite(tmp_path / "nothing.sqlite3", tmp_path / "x.sqlite3")


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert backup_command(settings, tmp_path / "b.sqlite3") == 1  # nothing to back up yet
    assert "no database" in capsys.readouterr().err

    postgres = Settings(
        data_dir=tmp_path,
        _env_file=None,
        database_url="postgresql+asyncpg://pydojo:s3cret@db.example/pydojo",
    )
    assert backup_command(postgres, tmp_path / "pg.dump") == 2
    advice = capsys.readouterr().out
    assert "pg_dump --format=custom" in advice and "pg_restore" in advice
    assert "s3cret" not in advice and "postgresql://pydojo:***@db.example/pydojo" in advice
