"""A board page as a picture: the names Discord knows, drawn by the card renderer."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.services.cards import CardRow
from bot.services.leaderboard import BoardEntry, BoardPage, DailyEntry
from bot.ui.context import services_of
from bot.ui.names import UNKNOWN, display_names
from bot.ui.text import duration, plural

from .render import TITLES

CARD_NAME = "board.png"


def values_of(entry: BoardEntry | DailyEntry) -> tuple[str, ...]:
    if isinstance(entry, DailyEntry):
        return (plural(entry.attempts, "attempt"), duration(entry.seconds))
    return (f"{entry.xp} XP", f"{entry.solves} solved")


def card_rows(page: BoardPage, names: dict[int, str], *, own: bool) -> tuple[CardRow, ...]:
    """The page's rows, then the reader's own line when it is off the page."""
    viewer = page.viewer if own else None
    rows = [
        CardRow(
            entry.rank,
            names.get(entry.user_id, UNKNOWN),
            values_of(entry),
            tied=isinstance(entry, BoardEntry) and entry.tied,
            highlight=viewer is not None and entry.user_id == viewer.user_id,
        )
        for entry in page.entries
    ]
    if viewer is not None and all(e.user_id != viewer.user_id for e in page.entries):
        rows.append(
            CardRow(
                viewer.rank,
                names.get(viewer.user_id, UNKNOWN),
                values_of(viewer),
                tied=isinstance(viewer, BoardEntry) and viewer.tied,
                highlight=True,
                separated=True,
            )
        )
    return tuple(rows)


async def board_picture(
    client: Any, guild_id: int, page: BoardPage, *, own: bool, title: str | None = None
) -> discord.File:
    ids = [e.user_id for e in page.entries] + ([page.viewer.user_id] if page.viewer else [])
    names = await display_names(client, guild_id, ids)
    subtitle = f"Page {page.page}/{page.pages} · {plural(page.total, 'learner')}"
    if any(isinstance(e, BoardEntry) and e.tied for e in page.entries):
        subtitle += " · = marks a tie"
    picture = await services_of(client).cards.board(
        title or TITLES.get(page.period, "Leaderboard"), subtitle, card_rows(page, names, own=own)
    )
    return discord.File(io.BytesIO(picture), filename=CARD_NAME)
