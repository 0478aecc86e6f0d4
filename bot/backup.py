"""`pydojo db backup PATH`: a consistent copy of the database, safe while the bot runs.

SQLite: the online backup API (pages copied under SQLite's own locking, so concurrent writes
are either in the copy or not, never half). PostgreSQL: `pg_dump` does this better than any
Python code could; the command prints how.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from .db import database_url
from .settings import Settings


class BackupError(Exception):
    pass


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> int:
    """Copy ``source`` to ``target``; return the number of pages. Atomic: a failed backup
    leaves no partial file at ``target``."""
    if not source.exists():
        raise BackupError(f"there is no database at {source} yet")
    if target.exists() and not force:
        raise BackupError(f"{target} exists; pass --force to overwrite it")
    if target.resolve() == source.resolve():
        raise BackupError("the backup cannot overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy, pages=1024)  # in steps, so the bot's writers are never held up long
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
    finally:
        copy.close()
        live.close()
    os.replace(partial, target)
    return int(pages)


def pg_dump_advice(url: str, target: Path) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    shown = parsed.render_as_string(hide_password=True)
    return (
        "The database is PostgreSQL: back it up with pg_dump, which takes a consistent "
        "snapshot while the bot runs:\n\n"
        f"  pg_dump --format=custom --file {target} '{shown}'\n\n"
        "(put the password in ~/.pgpass or PGPASSWORD rather than on the command line).\n"
        f"Restore into an empty database with:  pg_restore --dbname '{shown}' {target}"
    )


def backup_command(settings: Settings, target: Path, *, force: bool = False) -> int:
    url = database_url(settings.database_url, settings.data_dir)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        print(pg_dump_advice(url, target))
        return 2
    source = Path(parsed.database or "")
    try:
        pages = backup_sqlite(source, target, force=force)
    except (BackupError, sqlite3.Error, OSError) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    size = target.stat().st_size
    print(
        f"backed up {source} to {target} ({pages} pages, {size / 1e6:.1f} MB); "
        "restore: stop the bot, copy it back over the database file, start the bot"
    )
    return 0
