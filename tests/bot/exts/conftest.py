"""A real PyDojo bot on a real SQLite file and the real sandbox, talking to a fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from curriculum import Curriculum

from ..discord_harness import DiscordHarness, settings_for, start_harness

__all__ = ["discord_bot", "settings_for", "start_harness"]


@pytest.fixture
async def discord_bot(
    tmp_path: Path, course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[DiscordHarness]:
    harness = await start_harness(tmp_path, course, monkeypatch)
    yield harness
    await harness.bot.close()
