"""``/settings``: the server's managers see every setting on one screen and change it there."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.commands import managers_only

from .render import settings_embed
from .views import settings_view

if TYPE_CHECKING:
    from bot.app import PyDojo


class SettingsCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="settings", description="How pydojo works in this server")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @managers_only
    async def settings(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        settings = await self.services.servers.get(interaction.guild.id)
        await send(
            interaction,
            private=privacy.PERSONAL,
            embed=settings_embed(settings, self.services.settings.cooldown_seconds),
            view=settings_view(settings),
        )
