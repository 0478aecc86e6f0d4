"""The operations commands as a user types them: runner serve, db backup (no sandbox needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def pydojo(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYDOJO_DATA_DIR": str(tmp_path),
            **env,
        },
    )


def test_runner_serve_needs_a_queue(tmp_path: Path) -> None:
    done = pydojo(tmp_path, "runner", "serve")
    assert done.returncode == 2 and "PYDOJO_QUEUE_URL" in done.stdout


def test_db_backup_of_a_fresh_install(tmp_path: Path) -> None:
    done = pydojo(tmp_path, "db", "backup", str(tmp_path / "b.sqlite3"))
    assert done.returncode == 1 and "no database" in done.stderr
    done = pydojo(
        tmp_path,
        "db",
        "backup",
        "x.dump",
        PYDOJO_DATABASE_URL="postgresql+asyncpg://u:pw@localhost/pydojo",
    )
    assert done.returncode == 2 and "pg_dump" in done.stdout and "pw" not in done.stdout


def test_help_lists_the_new_commands(tmp_path: Path) -> None:
    done = pydojo(tmp_path, "--help")
    assert all(word in done.stdout for word in ("runner", "doctor", "db"))
