"""Paging through a board. Buttons name the board, the page and whose view it is, so they
work after a restart: its owner's press turns the page in place; anyone else's opens their own
copy privately (with their own place on it). A board message everyone shares has no owner."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.leaderboard import LeaderboardService
from bot.ui.context import services_of
from bot.ui.errors import guarded

from .cards import board_picture
from .render import board_embed

SHARED = 0  # the owner of a board message posted for everyone


def token_of(period: str, challenge_id: int | None = None) -> str:
    """A board in a custom id: a period, or ``d<id>`` for one daily challenge."""
    return f"d{challenge_id}" if period == "daily" else period


async def board(
    client: Any, guild_id: int, token: str, page: int, viewer_id: int, *, shared: bool = False
) -> tuple[discord.Embed, discord.ui.View, discord.File]:
    """The page as ``viewer_id`` sees it (``shared``: the board message everyone reads),
    with its picture attached to the embed."""
    boards = services_of(client).leaderboard
    if token.startswith("d"):
        ranking = await boards.daily_ranking(guild_id, int(token[1:]))
    else:
        ranking = await boards.ranking(guild_id, token)
    shown = await boards.page(ranking, guild_id, page, viewer_id)
    viewer_page = LeaderboardService.page_of(ranking, viewer_id)
    embed = board_embed(shown, viewer_page=viewer_page, own=not shared)
    picture = await board_picture(client, guild_id, shown, own=not shared)
    embed.set_image(url=f"attachment://{picture.filename}")
    owner = SHARED if shared else viewer_id
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(token, shown.page - 1, owner, "p", enabled=shown.page > 1))
    view.add_item(PageButton(token, shown.page + 1, owner, "n", enabled=shown.page < shown.pages))
    view.add_item(
        PageButton(
            token,
            viewer_page or 1,
            owner,
            "m",
            enabled=shared or (viewer_page is not None and viewer_page != shown.page),
        )
    )
    return embed, view, picture


LABELS = {"p": ("Previous", "◀️"), "n": ("Next", "▶️"), "m": ("My place", "📍")}


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pydojo:lb:(?P<token>all|week|today|d\d{1,19}):(?P<page>\d{1,6}):"
    r"(?P<owner>\d{1,20}):(?P<tag>[pnm])",
):
    def __init__(self, token: str, page: int, owner: int, tag: str, enabled: bool = True) -> None:
        label, emoji = LABELS[tag]
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                disabled=not enabled,
                custom_id=f"pydojo:lb:{token}:{max(1, page)}:{owner}:{tag}",
            )
        )
        self.token, self.page, self.owner, self.tag = token, max(1, page), owner, tag

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        return cls(match["token"], int(match["page"]), int(match["owner"]), match["tag"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._turn(interaction))

    async def _turn(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        viewer = interaction.user.id
        page = self.page
        if self.tag == "m":  # "my place": wherever the presser is listed
            boards = services_of(interaction.client).leaderboard
            if self.token.startswith("d"):
                ranking = await boards.daily_ranking(interaction.guild.id, int(self.token[1:]))
            else:
                ranking = await boards.ranking(interaction.guild.id, self.token)
            page = LeaderboardService.page_of(ranking, viewer) or 1
        embed, view, picture = await board(
            interaction.client, interaction.guild.id, self.token, page, viewer
        )
        if viewer == self.owner:
            await interaction.response.edit_message(embed=embed, view=view, attachments=[picture])
        else:
            await interaction.response.send_message(
                embed=embed, view=view, file=picture, ephemeral=True
            )


DYNAMIC_ITEMS = (PageButton,)
