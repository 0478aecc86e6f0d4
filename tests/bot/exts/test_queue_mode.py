"""The bot with PYDOJO_QUEUE_URL set: no engine in the bot, submissions judged by a runner worker
process through Redis; sharded with PYDOJO_SHARD_COUNT. The real bot against a fake Discord."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from discord.ext import commands

from bot.app import ShardedPyDojo, build_services, make_bot
from bot.metrics import MeteredSandbox
from bot.settings import Settings
from curriculum import Curriculum
from runner.queue import QueueRunner
from tests.servers import RedisServer, WorkerProcess, containers_of

from ..discord_harness import DiscordHarness

pytestmark = [pytest.mark.docker, pytest.mark.redis]

GOOD = "```py\ndef add(a, b):\n    return a + b\n```"
BAD = "```py\ndef add(a, b):\n    return a - b\n```"


@pytest.fixture
def worker(fresh_redis: RedisServer, sandbox: None) -> Iterator[WorkerProcess]:
    directory = Path(tempfile.mkdtemp(prefix="pydojo-worker-"))
    process = WorkerProcess(fresh_redis.url, directory, concurrency=2)
    yield process
    assert process.terminate() == 0, process.log()
    assert containers_of([process.owner]) == []
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
async def queued_bot(
    tmp_path: Path,
    course: Curriculum,
    fresh_redis: RedisServer,
    worker: WorkerProcess,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[DiscordHarness]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/b.db",
        cooldown_seconds=0,
        queue_url=fresh_redis.url,
        shard_count=2,
        docker_url="tcp://127.0.0.1:9",  # the bot must not need an engine
        _env_file=None,
    )
    services = await build_services(settings, curriculum=course)
    bot = make_bot(services, sync=False)
    harness = DiscordHarness(bot, monkeypatch)
    await harness.start()
    yield harness
    await bot.close()


async def test_a_learner_judged_by_a_worker(
    queued_bot: DiscordHarness, fresh_redis: RedisServer, worker: WorkerProcess
) -> None:
    bot = queued_bot.bot
    assert isinstance(bot, ShardedPyDojo) and isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count == 2
    sandbox = bot.services.runner
    assert isinstance(sandbox, MeteredSandbox) and isinstance(sandbox.inner, QueueRunner)
    for _ in range(600):  # until the worker advertises itself
        if (await sandbox.inner.stats()).workers:
            break
        await asyncio.sleep(0.2)

    await queued_bot.slash("practice", 7, options={"problem": "a-basics-b0"}, dm=True)
    wrong = await queued_bot.message(BAD, 7, dm=True)
    assert any("Wrong answer" in c.text() for c in wrong)
    right = await queued_bot.message(GOOD, 7, dm=True)
    assert any("Accepted" in c.text() and "XP" in c.text() for c in right)

    # Redis goes away: the learner hears at once that the judge is unreachable, and the attempt
    # is not recorded against them; when Redis is back, judging resumes by itself.
    before = await _attempts(bot, 7)
    fresh_redis.stop()
    down = await queued_bot.message(BAD, 7, dm=True)
    assert any("unreachable" in c.text() and "not counted" in c.text() for c in down)
    assert await _attempts(bot, 7) == before
    fresh_redis.start()
    for _ in range(600):
        try:
            if (await sandbox.inner.stats()).workers:
                break
        except Exception:
            pass
        await asyncio.sleep(0.2)
    again = await queued_bot.message(BAD, 7, dm=True)
    assert any("Wrong answer" in c.text() for c in again)
    assert await _attempts(bot, 7) == before + 1


async def _attempts(bot: object, user_id: int) -> int:
    from sqlalchemy import func, select

    from bot.db.models import Submission

    async with bot.services.db.read() as session:  # type: ignore[attr-defined]
        return int(
            await session.scalar(
                select(func.count()).select_from(Submission).where(Submission.user_id == user_id)
            )
        )
