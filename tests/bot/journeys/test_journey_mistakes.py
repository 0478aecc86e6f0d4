"""Ned makes a newcomer's mistakes in his own thread: blocks left open, tildes, code with no
block, a question without a question mark, a fenced block pasted into the form; then the Docker
engine goes away mid-session and comes back, and another program holds the database. Each gets
one answer that says what to do; nothing he typed is lost or counted against him."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest

from curriculum import Curriculum

from ..discord_harness import Call, DiscordHarness, snowflake, start_harness
from .conftest import solution
from .story import answer, audit_all, created_threads, submissions, verdicts

pytestmark = pytest.mark.docker
NED = 1401


class EngineLine:
    """A unix socket in front of the Docker engine's, that can be cut and restored."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.server: asyncio.Server | None = None
        self.open: list[asyncio.StreamWriter] = []
        self.pipes: list[asyncio.Future[None]] = []
        host = os.environ.get("DOCKER_HOST", "")
        self.engine = (
            host[len("unix://") :] if host.startswith("unix://") else "/var/run/docker.sock"
        )

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        engine_reader, engine_writer = await asyncio.open_unix_connection(self.engine)
        self.open += [writer, engine_writer]
        self.pipes += [
            asyncio.ensure_future(self._pipe(reader, engine_writer)),
            asyncio.ensure_future(self._pipe(engine_reader, writer)),
        ]

    async def up(self) -> None:
        self.server = await asyncio.start_unix_server(self._connect, str(self.path))

    async def down(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in self.open:
            writer.close()
        for pipe in self.pipes:
            pipe.cancel()
        self.open.clear()
        self.pipes.clear()
        self.path.unlink(missing_ok=True)


def said(calls: list[Call]) -> Call:
    [shown] = [c for c in calls if c.shows_message and not c.deleted]
    return shown


async def post(bot: DiscordHarness, text: str, thread: int, **kwargs: object) -> Call:
    """Ned's message in his thread, and the one reply it got."""
    message_id = kwargs.pop("message_id", None) or snowflake()
    calls = await bot.message(text, NED, channel_id=thread, message_id=message_id, **kwargs)  # type: ignore[arg-type]
    reply = said(calls)
    assert reply.replies_to == message_id or reply.method == "PATCH", reply
    return reply


async def test_journey_a_newcomers_mistakes(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = EngineLine(tmp_path / "engine.sock")
    await line.up()
    # No pool: no container is being made in the background when the line is cut.
    bot = await start_harness(
        tmp_path,
        journey_course,
        monkeypatch,
        cooldown_seconds=3,
        docker_url=line.url,
        sandbox_pool_size=0,
    )
    try:
        [thread] = created_threads(await bot.slash("practice", NED, options={"problem": "w-add"}))
        code = solution("w-add")

        open_id = snowflake()
        unclosed = await post(bot, f"```python\n{code}", thread, message_id=open_id)
        assert "not closed" in unclosed.text()
        closed = await post(bot, f"```python\n{code}```", thread, message_id=open_id, edit=True)
        assert closed.method == "PATCH" and "Accepted" in closed.text()  # the edit is judged
        assert "tildes" in (await post(bot, f"~~~py\n{code}~~~", thread)).text()
        bare = await post(bot, code, thread)
        assert "without a code block" in bare.text() and "```" not in bare.text()[:20]
        assert "block" in (await post(bot, "def add(a, b):\nreturn a + b", thread)).text()
        assert "```py code block" in (await post(bot, "i dont understand the task", thread)).text()
        assert await bot.message("ok thanks", NED, channel_id=thread) == []  # chat: left alone

        # A fenced block pasted into the form is the code inside it.
        modal = (await bot.click("pydojo:submit:w-add:0", NED, channel_id=thread))[0]
        pasted = await bot.submit_modal(modal, [f"```py\n{code}```"], NED, channel_id=thread)
        assert "Accepted" in verdicts(pasted)[0].text()

        # The engine goes away: nothing is counted, the form's code comes back, /run's too.
        await line.down()
        lost = said(await bot.message(answer(bot, "w-add"), NED, channel_id=thread))
        assert "judge is having trouble" in lost.text() and "not counted" in lost.text()
        modal = (await bot.click("pydojo:submit:w-add:0", NED, channel_id=thread))[0]
        typed = "def add(a, b):\n    return b + a\n"
        unjudged = said(await bot.submit_modal(modal, [typed], NED, channel_id=thread))
        assert "not counted" in unjudged.text() and unjudged.file_text() == typed
        run_modal = (await bot.slash("run", NED, channel_id=thread))[0]
        ran = said(await bot.submit_modal(run_modal, ["print(40 + 2)", ""], NED, channel_id=thread))
        assert "trouble" in ran.text() and ran.file_text() == "print(40 + 2)"

        await line.up()
        [back] = verdicts(await bot.message(answer(bot, "w-add"), NED, channel_id=thread))
        assert "Accepted" in back.text()

        # Another program holds the database: a private "sorry", and the form's code back.
        holder = sqlite3.connect(tmp_path / "bot.sqlite3", timeout=1)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            modal = (await bot.click("pydojo:submit:w-add:0", NED, channel_id=thread))[0]
            busy = said(await bot.submit_modal(modal, [typed], NED, channel_id=thread))
        finally:
            holder.rollback()
            holder.close()
        assert busy.ephemeral and "went wrong on my side" in busy.text()
        assert busy.file_text() == typed

        assert [v for _, _, v in await submissions(bot, NED)] == ["accepted"] * 3
        stats = await bot.bot.services.stats.stats(NED)
        assert (stats.solved, stats.totals.attempts) == (1, 1)
        audit_all(bot)
    finally:
        await bot.bot.close()
        await line.down()
