"""Code posted in a server that must not stay in sight, and verdicts that go by DM.

Where a daily challenge is discussed, an answer posted as a message would spoil it: the bot
deletes it and, as the server chose, re-posts it under spoiler tags or gives it back to its
author by DM (re-posting it under spoiler tags when their DMs are closed, so nothing is lost).
Where the server keeps verdicts private, a message's verdict is sent by DM: the DM is opened
before judging, so a learner whose DMs are closed is told at once and nothing is recorded.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import discord

from bot.ui.text import CONTENT_LIMIT, NO_MENTIONS, safe_block, spoiler

log = logging.getLogger(__name__)
CANNOT_DM = 50007  # Discord: "Cannot send messages to this user"


@dataclass(frozen=True)
class Hidden:
    removed: bool  # the original message is gone
    how: str  # "spoiler" | "dm" | "kept" (could not delete it)


def code_file(source: str | bytes, filename: str, *, spoiled: bool) -> discord.File:
    data = source if isinstance(source, bytes) else source.encode("utf-8", "replace")
    name = filename if filename.endswith(".py") else "answer.py"
    return discord.File(io.BytesIO(data), filename=("SPOILER_" if spoiled else "") + name)


async def hide(
    message: discord.Message,
    source: str | bytes,
    filename: str,
    policy: str,
    dm: discord.Message | None = None,
) -> Hidden:
    """Take ``message`` out of sight. ``dm``: a DM to its author already open (private
    verdicts), which then carries the code instead of a DM of its own."""
    try:
        await message.delete()
    except discord.HTTPException as exc:
        log.info("could not delete code in %s: %s", message.channel.id, exc)
        return Hidden(False, "kept")
    if policy == "delete":
        if dm is not None:
            try:
                await dm.add_files(code_file(source, filename, spoiled=False))
                return Hidden(True, "dm")
            except discord.HTTPException:
                log.info("could not attach the code to the DM of user %s", message.author.id)
        else:
            try:
                await message.author.send(
                    content=f"Your answer from {message.channel.mention}, removed there to keep "
                    "the challenge unspoiled:",
                    file=code_file(source, filename, spoiled=False),
                    allowed_mentions=NO_MENTIONS,
                )
                return Hidden(True, "dm")
            except discord.HTTPException:
                log.info("DMs closed for user %s: re-posting as a spoiler", message.author.id)
    await repost_as_spoiler(message, source, filename)
    return Hidden(True, "spoiler")


async def repost_as_spoiler(message: discord.Message, source: str | bytes, filename: str) -> None:
    head = f"{message.author.mention}'s answer (click to reveal):\n"
    text = source if isinstance(source, str) else None
    channel = message.channel
    assert isinstance(channel, discord.abc.Messageable)
    if text is not None:
        body = spoiler(safe_block(text, 10 * CONTENT_LIMIT, "py"))  # long code: a file
        if len(head) + len(body) <= CONTENT_LIMIT and "||" not in text:
            await channel.send(content=head + body, allowed_mentions=NO_MENTIONS)
            return
    await channel.send(
        content=head.rstrip(":\n") + " (as a file):",
        file=code_file(source, filename, spoiled=True),
        allowed_mentions=NO_MENTIONS,
    )


async def open_verdict_dm(message: discord.Message) -> discord.Message | None:
    """A DM to the author saying their code is being judged; None when DMs are closed."""
    where = getattr(message.channel, "mention", "the server")
    try:
        return await message.author.send(
            content=f"⏳ Judging the code you posted in {where}…", allowed_mentions=NO_MENTIONS
        )
    except discord.Forbidden:
        return None
    except discord.HTTPException as exc:
        log.info("could not DM user %s: %s", message.author.id, exc)
        return None
