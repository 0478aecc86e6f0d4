"""The /help command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.commands import everywhere

from .render import help_embed

if TYPE_CHECKING:
    from bot.app import PyDojo


class HelpCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="How to use pydojo")
    @everywhere
    async def help(self, interaction: discord.Interaction) -> None:
        runner = self.bot.services.runner
        limits = runner.limits
        await send(
            interaction,
            private=privacy.PERSONAL,
            embed=help_embed(limits.memory_mib, limits.test_seconds, runner.python_version),
        )
