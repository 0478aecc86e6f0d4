"""The tutor on a real database and the real sandbox, with google-genai talking to a fake
Gemini server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Services, build_services
from bot.services.tutor.config import TutorSettings
from bot.settings import Settings
from curriculum import Curriculum
from runner import Runner, RunnerConfig
from tests.gemini_server import FakeGemini

from ..conftest import FakeClock

PRIMARY, FALLBACK = "gemini-test-flash", "gemini-test-flash-lite"


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGemini]:
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "PYDOJO_GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeGemini()
    yield fake
    fake.close()


def tutor_settings(gemini: FakeGemini | None, **overrides: Any) -> TutorSettings:
    values: dict[str, Any] = {
        "primary_model": PRIMARY,
        "fallback_model": FALLBACK,
        "base_url": gemini.url if gemini else None,
        "request_seconds": 10,
        "total_seconds": 20,
        "backoff_seconds": 0.01,
    }
    return TutorSettings(**{**values, **overrides})


class KeepOpen:
    """A runner shared by several tests' services: their close() leaves it running."""

    def __init__(self, inner: Runner) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass


@pytest.fixture(scope="module")
async def shared_runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=2)) as runner:
        yield runner


Opener = Callable[..., Any]


@pytest.fixture
async def open_services(
    tmp_path: Path, course: Curriculum, shared_runner: Runner, clock: FakeClock
) -> AsyncIterator[Opener]:
    """Open the bot's services (again, after a "restart") on this test's database."""
    opened: list[Services] = []

    async def opener(
        gemini: FakeGemini | None,
        *,
        key: str | None = "test-key",
        curriculum: Curriculum | None = None,
        **tutor: Any,
    ) -> Services:
        settings = Settings(
            data_dir=tmp_path,
            database_url=f"sqlite+aiosqlite:///{tmp_path}/tutor.sqlite3",
            cooldown_seconds=0,
            gemini_api_key=key if gemini is not None else None,
            tutor=tutor_settings(gemini, **tutor),
            _env_file=None,
        )
        services = await build_services(
            settings, curriculum=curriculum or course, runner=KeepOpen(shared_runner), clock=clock
        )
        opened.append(services)
        return services

    yield opener
    for services in opened:
        await services.close()
