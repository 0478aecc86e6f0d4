"""Storage fixtures: a real SQLite file and a real PostgreSQL server (started here if needed)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import Database
from curriculum import Curriculum, load_curriculum
from runner import Status, TestOutcome, Verdict
from tests.conftest import require
from tests.course_factory import write_problem


class FakeClock:
    """An injectable clock that only moves when told to."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def verdict(status: Status = Status.ACCEPTED, passed: int = 5, total: int = 5) -> Verdict:
    tests = [
        TestOutcome(number=i + 1, hidden=i >= 2, status=Status.ACCEPTED if i < passed else status)
        for i in range(total)
    ]
    return Verdict(
        status=status, summary=status.value, passed=passed, total=total, tests=tests, duration_ms=12
    )


def wrong() -> Verdict:
    return verdict(Status.WRONG_ANSWER, passed=3)


# -- a course for service tests ------------------------------------------------------------------

COURSE = [  # (id, module, subtopic, difficulty)
    *[(f"a-basics-b{i}", "alpha", "basics", "beginner") for i in range(4)],
    *[(f"a-basics-i{i}", "alpha", "basics", "intermediate") for i in range(3)],
    *[(f"a-basics-a{i}", "alpha", "basics", "advanced") for i in range(3)],
    *[(f"a-other-b{i}", "alpha", "other", "beginner") for i in range(3)],
    *[(f"a-other-i{i}", "alpha", "other", "intermediate") for i in range(2)],
    *[(f"b-basics-b{i}", "beta", "basics", "beginner") for i in range(3)],
    *[(f"b-basics-a{i}", "beta", "basics", "advanced") for i in range(2)],
]


@pytest.fixture(scope="session")
def course(tmp_path_factory: pytest.TempPathFactory) -> Curriculum:
    root = tmp_path_factory.mktemp("course")
    for pid, module, subtopic, difficulty in COURSE:
        problem_type = "arithmetic" if subtopic == "basics" else "misc"
        write_problem(
            root,
            pid,
            module=module,
            subtopic=subtopic,
            problem_type=problem_type,
            difficulty=difficulty,
            tags=f'["{subtopic}"]',
        )
    return load_curriculum(root)


# -- databases -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback, or the one in PYDOJO_TEST_POSTGRES_URL."""
    given = os.environ.get("PYDOJO_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    binaries = _postgres_bin()
    require(
        None if binaries else "no PostgreSQL server binaries (apt-get install postgresql)",
        "PostgreSQL",
    )
    assert binaries is not None
    data = Path(tempfile.mkdtemp(prefix="pydojo-pg-"))
    port = _free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres", "postgres")
    cluster = data / "cluster"
    subprocess.run(
        [
            *as_postgres,
            str(binaries / "initdb"),
            "-D",
            str(cluster),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_postgres,
            str(binaries / "pg_ctl"),
            "-D",
            str(cluster),
            "-w",
            "-l",
            str(data / "log"),
            "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_postgres, str(binaries / "pg_ctl"), "-D", str(cluster), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


async def _create_postgres_database(server: str) -> str:
    import asyncpg

    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = server.replace("postgresql+asyncpg", "postgresql") + "/postgres"
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        url = await _create_postgres_database(request.getfixturevalue("postgres_server"))
    database = Database(url)
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
