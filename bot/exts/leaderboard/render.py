"""Boards as embeds: a page of ranks, ties shown as ties, and the reader's own place."""

from __future__ import annotations

import discord

from bot.services.leaderboard import BoardEntry, BoardPage, DailyEntry
from bot.ui.text import DESCRIPTION_LIMIT, FIELD_LIMIT, clip, duration, plural

INFO_COLOUR = 0x5865F2
TITLES = {
    "all": "All time",
    "week": "This week",
    "today": "Today",
    "daily": "Today's daily challenge",
}


def rank_mark(entry: BoardEntry | DailyEntry) -> str:
    tied = isinstance(entry, BoardEntry) and entry.tied
    return f"`{'=' if tied else ' '}{entry.rank:>2}`"


def entry_line(entry: BoardEntry | DailyEntry) -> str:
    if isinstance(entry, DailyEntry):
        return (
            f"{rank_mark(entry)} <@{entry.user_id}> · {plural(entry.attempts, 'attempt')} · "
            f"{duration(entry.seconds)}"
        )
    return f"{rank_mark(entry)} <@{entry.user_id}> · {entry.xp} XP · {entry.solves} solved"


def own_line(page: BoardPage, viewer_page: int | None) -> str:
    """The reader's own place, whether or not it is on the page shown."""
    viewer = page.viewer
    if viewer is not None:
        where = f" (page {viewer_page})" if viewer_page and viewer_page != page.page else ""
        tie = " (tied)" if isinstance(viewer, BoardEntry) and viewer.tied else ""
        return f"#{viewer.rank}{tie} of {page.total}{where} · {entry_line(viewer)}"
    if page.viewer_hidden:
        return "You are hidden from this server's boards; `/leaderboard show` lists you again."
    if page.period == "daily":
        return "You have not solved it yet: `/daily today`."
    return "Not on this board yet: solve a problem here to appear."


def board_embed(
    page: BoardPage,
    *,
    viewer_page: int | None = None,
    title: str | None = None,
    own: bool = True,
) -> discord.Embed:
    """A page of the board; ``own``: with the reader's place (not on a shared board message)."""
    lines = []
    for entry in page.entries:
        mine = own and page.viewer is not None and entry.user_id == page.viewer.user_id
        lines.append(entry_line(entry) + (" ← you" if mine else ""))
    heading = title or TITLES.get(page.period, "Leaderboard")
    embed = discord.Embed(
        title=clip(f"🏆 {heading}", 256),
        colour=INFO_COLOUR,
        description=clip("\n".join(lines) or "Nobody yet: be the first!", DESCRIPTION_LIMIT),
    )
    if own:
        embed.add_field(
            name="You", value=clip(own_line(page, viewer_page), FIELD_LIMIT), inline=False
        )
    ties = " · = marks a tie" if any(getattr(e, "tied", False) for e in page.entries) else ""
    embed.set_footer(
        text=f"Page {page.page}/{page.pages} · {plural(page.total, 'learner')}{ties} · "
        "XP earned in this server counts here; /leaderboard hide leaves the boards."
    )
    return embed
