"""/learn [module]: read a module's notes before (or while) practising it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.choices import module_choices
from bot.ui.commands import everywhere

from .render import course_embed
from .views import show_module

if TYPE_CHECKING:
    from bot.app import PyDojo


class LearnCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="learn", description="A topic's overview and Python notes")
    @app_commands.describe(module="Topic, e.g. Strings (default: your current problem's)")
    @everywhere
    async def learn(self, interaction: discord.Interaction, module: str | None = None) -> None:
        if module is None:
            session = await self.services.sessions.current(interaction.user.id)
            current = self.services.curriculum.get(session.problem_id) if session else None
            if current is None:
                await send(
                    interaction,
                    private=privacy.PERSONAL,
                    embed=course_embed(self.services.curriculum),
                )
                return
            module = current.module
        await show_module(interaction, module)

    @learn.autocomplete("module")
    async def module_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return module_choices(self.services.curriculum, current)
