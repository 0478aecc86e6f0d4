"""/help: how to use the bot, in one screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.exts.practice.cog import EVERYWHERE

if TYPE_CHECKING:
    from bot.app import PyDojo


class HelpCog(commands.Cog, name="Help"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="How to use pydojo")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def help(self, interaction: discord.Interaction) -> None:
        services = self.bot.services
        limits = services.runner.limits
        await interaction.response.send_message(
            embed=render.help_embed(
                limits.memory_mib, limits.test_seconds, services.runner.python_version
            ),
            ephemeral=True,
        )


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(HelpCog(bot))
