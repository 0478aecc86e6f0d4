"""Auto mode's status, in the course's own titles."""

from __future__ import annotations

import discord

from bot.services.automode import AutoStatus
from bot.services.catalog import title_of
from bot.ui.text import FIELD_LIMIT, clip
from curriculum import Curriculum


def topic_title(curriculum: Curriculum, key: str) -> str:
    """ "module/subtopic" as "Module › Subtopic"."""
    module_id, _, subtopic_id = key.partition("/")
    module = curriculum.modules.get(module_id)
    if module is None:
        return key
    subtopic = module.subtopics.get(subtopic_id)
    return f"{module.title} › {subtopic.title if subtopic else subtopic_id}"


def status_embed(status: AutoStatus, curriculum: Curriculum) -> discord.Embed:
    problem = curriculum.get(status.current_problem_id or "")
    now = (
        f"**{title_of(problem)}** — {status.current_reason or 'pick up where you left off'}"
        if problem
        else "nothing open: **Next** under your last verdict (or `/auto start`) picks one"
    )
    levels = "\n".join(
        f"{topic_title(curriculum, key)}: {level}" for key, level in sorted(status.levels.items())
    )
    upcoming = "\n".join(f"• {reason}" for reason in status.upcoming) or "chosen as you go"
    embed = discord.Embed(
        title="🤖 Auto mode",
        colour=0x5865F2,
        description=(
            f"Streak **{status.streak}** · solved {status.solved} of {status.attempted} "
            f"attempts\nNow: {now}"
        ),
    )
    embed.add_field(name="Up next", value=clip(upcoming, FIELD_LIMIT), inline=False)
    embed.add_field(
        name="Level per topic", value=clip(levels or "all beginner", FIELD_LIMIT), inline=False
    )
    return embed
