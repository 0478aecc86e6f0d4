"""A real PyDojo bot on a real SQLite file and the real sandbox, talking to a fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import PyDojo, build_services
from bot.settings import Settings
from curriculum import Curriculum

from ..discord_harness import DiscordHarness


def settings_for(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3",
                    cooldown_seconds=0, sandbox_pool_size=2, _env_file=None)


async def start_harness(tmp_path: Path, course: Curriculum, monkeypatch: pytest.MonkeyPatch
                        ) -> DiscordHarness:
    services = await build_services(settings_for(tmp_path), curriculum=course)
    harness = DiscordHarness(PyDojo(services, sync=False), monkeypatch)
    await harness.start()
    return harness


@pytest.fixture
async def discord_bot(tmp_path: Path, course: Curriculum, sandbox: None,
                      monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordHarness]:
    harness = await start_harness(tmp_path, course, monkeypatch)
    yield harness
    await harness.bot.close()
