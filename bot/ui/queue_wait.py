"""Telling a learner where their submission stands while the judge queue is long.

In queue mode (``PYDOJO_QUEUE_URL``) a submission can wait for a free worker. While it waits,
the learner sees how many submissions are ahead of theirs, updated as the queue moves, instead
of a placeholder that says nothing. In-process judging has no queue: nothing is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from .text import NO_MENTIONS

log = logging.getLogger(__name__)
T = TypeVar("T")
LOOK_EVERY = 2.0  # seconds between looks at the queue; the first look waits this long too


def position_text(ahead: int) -> str:
    noun = "submission" if ahead == 1 else "submissions"
    return f"⏳ The judge is busy: {ahead} {noun} ahead of yours. It will be judged in turn."


async def while_queued(
    work: Awaitable[T],
    runner: Any,
    owner: int | str,
    tell: Callable[[int], Awaitable[None]],
    *,
    every: float = LOOK_EVERY,
) -> T:
    """Await ``work``; meanwhile call ``tell(n)`` whenever ``n`` (≥ 1) submissions wait ahead
    of ``owner``'s and that number changed. A failing ``tell`` never costs the verdict."""
    task = asyncio.ensure_future(work)
    ahead_of = getattr(runner, "ahead_of", None)
    if ahead_of is None:
        return await task
    shown: int | None = None
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=every)
            if done:
                return task.result()
            ahead = await ahead_of(str(owner))
            if ahead and ahead != shown:
                shown = ahead
                try:
                    await tell(ahead)
                except discord.HTTPException as exc:
                    log.info("could not show the queue position: %s", exc)
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


class QueueNotice:
    """A reply to a chat message that shows its queue position, removed once it is judged."""

    def __init__(self, message: discord.Message) -> None:
        self.message = message
        self.reply: discord.Message | None = None

    async def tell(self, ahead: int) -> None:
        if self.reply is None:
            self.reply = await self.message.reply(
                position_text(ahead), mention_author=False, allowed_mentions=NO_MENTIONS
            )
        else:
            await self.reply.edit(content=position_text(ahead))

    async def __aenter__(self) -> QueueNotice:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.reply is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.reply.delete()
