"""The daily post: who it pings, the problem, when the next one comes, and how the previous
one went (who solved it, in which order, how fast)."""

from __future__ import annotations

from datetime import date, datetime

import discord

from bot.services.leaderboard import DailyEntry
from bot.ui.text import CONTENT_LIMIT, DESCRIPTION_LIMIT, clip, duration, plural

RESULTS_COLOUR = 0xF1C40F
MEDALS = ("🥇", "🥈", "🥉")
SHOWN = 10


def post_content(role_id: int | None, next_at: datetime) -> str:
    ping = f"<@&{role_id}> " if role_id else ""
    return clip(
        f"{ping}**Today's challenge!** Press **Submit** to answer privately (or `/daily "
        "submit`), or post your code in the thread: I judge it, then hide it. "
        f"Next one <t:{int(next_at.timestamp())}:R>.",
        CONTENT_LIMIT,
    )


def results_embed(title: str, day: date, today: date, solvers: list[DailyEntry]) -> discord.Embed:
    """The previous challenge's results, in solving order."""
    when = "Yesterday's" if (today - day).days == 1 else f"The {day:%d %b} challenge's"
    lines = []
    for entry in solvers[:SHOWN]:
        mark = MEDALS[entry.rank - 1] if entry.rank <= len(MEDALS) else f"`{entry.rank:>2}.`"
        lines.append(
            f"{mark} <@{entry.user_id}> · {plural(entry.attempts, 'attempt')} · "
            f"{duration(entry.seconds)}"
        )
    if len(solvers) > SHOWN:
        lines.append(f"…and {len(solvers) - SHOWN} more.")
    embed = discord.Embed(
        title=clip(f"{when} results: {title}", 256),
        colour=RESULTS_COLOUR,
        description=clip(
            "\n".join(lines) or "Nobody solved it: a fresh start today!", DESCRIPTION_LIMIT
        ),
    )
    embed.set_footer(text=f"{plural(len(solvers), 'solver')} · time from the post to the solve")
    return embed
