"""Progress commands: stats are shared where asked; history is private."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.commands import everywhere

from .render import history_embed, stats_embed

if TYPE_CHECKING:
    from bot.app import PyDojo

CARD_NAME = "stats.png"


class StatsCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="stats", description="Progress: mastery, streak, XP, badges")
    @app_commands.describe(user="Whose stats (default: yours)")
    @everywhere
    async def stats(
        self, interaction: discord.Interaction, user: discord.User | None = None
    ) -> None:
        await defer(interaction, private=privacy.SHARED)
        who = user or interaction.user
        stats = await self.services.stats.stats(who.id)
        # Reviews are a reminder to oneself: counted on one's own stats only.
        due = (
            await self.services.reviews.count_due(who.id) if who.id == interaction.user.id else None
        )
        teamwork = await self.services.rooms.team_solves(who.id)
        embed = stats_embed(stats, who.display_name, self.services.curriculum, due, teamwork)
        card = await self.services.stats.card(who.id, reviews_due=due or 0, stats=stats)
        picture = await self.services.cards.stats(card, who.display_name)
        embed.set_image(url=f"attachment://{CARD_NAME}")
        await send(
            interaction,
            private=privacy.SHARED,
            embed=embed,
            file=discord.File(io.BytesIO(picture), filename=CARD_NAME),
        )

    @app_commands.command(name="history", description="Your recent submissions")
    @everywhere
    async def history(
        self, interaction: discord.Interaction, page: app_commands.Range[int, 1, 1000] = 1
    ) -> None:
        await defer(interaction, private=privacy.PERSONAL)
        history = await self.services.stats.history(interaction.user.id, page)
        await send(
            interaction,
            private=privacy.PERSONAL,
            embed=history_embed(history, interaction.user.display_name, asked=page),
        )
