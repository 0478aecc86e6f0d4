"""/stats and /history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.exts.practice.cog import EVERYWHERE, handle_app_error, reply

if TYPE_CHECKING:
    from bot.app import PyDojo


class StatsCog(commands.Cog, name="Stats"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="stats", description="Progress: mastery, streak, XP, badges")
    @app_commands.describe(user="Whose stats (default: yours)")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def stats(
        self, interaction: discord.Interaction, user: discord.User | None = None
    ) -> None:
        await interaction.response.defer(thinking=True)
        who = user or interaction.user
        stats = await self.services.stats.stats(who.id)
        await reply(
            interaction, embed=render.stats_embed(stats, who.display_name, self.services.curriculum)
        )

    @app_commands.command(name="history", description="Your recent submissions")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def history(
        self, interaction: discord.Interaction, page: app_commands.Range[int, 1, 1000] = 1
    ) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        history = await self.services.stats.history(interaction.user.id, page)
        await reply(
            interaction,
            ephemeral=True,
            embed=render.history_embed(history, interaction.user.display_name),
        )

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await handle_app_error(interaction, error)


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(StatsCog(bot))
