"""A module's notes as an embed: what it practises, the Python to know, its topics."""

from __future__ import annotations

from collections import Counter

import discord

from bot.ui.text import DESCRIPTION_LIMIT, FIELD_LIMIT, clip
from curriculum import Curriculum, Difficulty, Module

FIELDS = 10  # subtopics shown as fields (Discord allows 25; a module has a handful)


def module_embed(module: Module, curriculum: Curriculum) -> discord.Embed:
    counts = Counter(p.difficulty for p in curriculum.select(module=module.id))
    description = f"{module.overview.strip()}\n\n**Python notes**\n{module.python_notes.strip()}"
    embed = discord.Embed(
        title=f"📘 {clip(module.title, 200)}",
        description=clip(description, DESCRIPTION_LIMIT),
        colour=0x5865F2,
    )
    for subtopic in list(module.subtopics.values())[:FIELDS]:
        embed.add_field(
            name=clip(subtopic.title, 256), value=clip(subtopic.overview, FIELD_LIMIT), inline=False
        )
    levels = " · ".join(f"{counts[level]} {level.value}" for level in Difficulty)
    embed.set_footer(text=f"{levels} · /practice module:{module.id}")
    return embed


def course_embed(curriculum: Curriculum) -> discord.Embed:
    lines = [
        f"**{module.title}** — {clip(module.overview.strip().split('. ')[0].rstrip('.'), 110)}."
        for module in curriculum.modules.values()
    ]
    return discord.Embed(
        title="📚 The course",
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=0x5865F2,
    ).set_footer(text="/learn module:<name> shows a module's notes")
