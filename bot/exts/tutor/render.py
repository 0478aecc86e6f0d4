"""The tutor's answers and the usage report as Discord messages, within Discord's limits."""

from __future__ import annotations

import io
import re

import discord

from bot.services.tutor.service import TutorReply
from bot.services.tutor.usage import UsageReport
from bot.ui.text import DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, FOOTER_LIMIT, clip, safe_block

from . import words

INLINE = 3500  # characters of an answer shown in the embed; a longer one is attached whole
AI_COLOUR, CURATED_COLOUR = 0x9B59B6, 0x5865F2
MASKED_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^)\s]+)\)")


def _unmask(text: str) -> str:
    """A link the model wrote shows where it goes: no text standing in for an address."""
    return MASKED_LINK.sub(r"\1 (<\2>)", text)


def reply_message(reply: TutorReply) -> tuple[discord.Embed, discord.File | None]:
    body = words.body(reply)
    if reply.from_ai:
        body = _unmask(body)
    file = None
    if len(body) > INLINE:
        file = discord.File(io.BytesIO(body.encode("utf-8")), filename=f"{reply.feature}.md")
        cut = body[:700].rsplit("\n", 1)[0]
        body = f"{cut}\n\n*(The whole answer is attached as `{reply.feature}.md`.)*"
    note = words.note(reply)
    parts = [f"*{note}*"] if note else []
    parts.append(body)
    if reply.switched:
        title = clip(reply.situation.variant.title, 100)
        parts.append(f"(This is now your current problem: **{title}**.)")
    embed = discord.Embed(
        title=clip(f"{words.title(reply)} · {reply.situation.variant.title}", EMBED_TITLE_LIMIT),
        description=clip("\n\n".join(parts), DESCRIPTION_LIMIT),
        colour=AI_COLOUR if reply.from_ai else CURATED_COLOUR,
    )
    footer = []
    if reply.hearts is not None:
        footer.append(reply.hearts.describe())
    if reply.from_ai:
        footer.append(words.AI_FOOTER)
    if footer:
        embed.set_footer(text=clip(" · ".join(footer), FOOTER_LIMIT))
    return embed, file


def usage_message(report: UsageReport) -> tuple[str, discord.File | None]:
    text = report.render()
    if len(text) <= 1800:
        return safe_block(text, 1900), None
    file = discord.File(io.BytesIO(text.encode("utf-8")), filename="tutor-usage.txt")
    return "The tutor's usage report is attached.", file
