"""Auto mode's commands. Its problems are posted like every other (see practice's views)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.practice.views import begin_problem, post_problem
from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.commands import EVERYWHERE

from .render import status_embed

if TYPE_CHECKING:
    from bot.app import PyDojo


@app_commands.allowed_contexts(**EVERYWHERE)
@app_commands.allowed_installs(guilds=True, users=True)
class AutoCog(commands.GroupCog, group_name="auto", group_description="Auto mode"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        super().__init__()

    @app_commands.command(name="start", description="Start or resume auto mode")
    async def start(self, interaction: discord.Interaction) -> None:
        where = await begin_problem(interaction)
        offered = await self.services.practice.start_auto(interaction.user.id, where.where)
        await post_problem(interaction, offered, where)

    @app_commands.command(name="status", description="How your auto-mode run is going")
    async def status(self, interaction: discord.Interaction) -> None:
        status = await self.services.automode.status(interaction.user.id)
        if status is None:
            await send(
                interaction,
                private=privacy.PERSONAL,
                content="You have no auto-mode run: start one with `/auto start`.",
            )
            return
        await send(
            interaction,
            private=privacy.PERSONAL,
            embed=status_embed(status, self.services.curriculum),
        )

    @app_commands.command(name="stop", description="Stop auto mode (your progress is kept)")
    async def stop(self, interaction: discord.Interaction) -> None:
        stopped = await self.services.automode.stop(interaction.user.id)
        text = (
            "Auto mode stopped. `/auto start` begins a new run; your level in each topic is kept."
            if stopped
            else "Auto mode was not running."
        )
        await send(interaction, private=privacy.PERSONAL, content=text)
