"""/ask and /usage: a question for the tutor, and what the tutor costs and whether it helps."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.commands import everywhere
from bot.ui.errors import OwnerOnly

from ..practice.views import answer_view
from .render import usage_message
from .views import tutor_reply

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)


class TutorCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="ask", description="Ask the tutor about your current problem")
    @app_commands.describe(question="What puzzles you (the tutor sees your latest code)")
    @everywhere
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 1000],
    ) -> None:
        await tutor_reply(interaction, "ask", None, question=question, view_for=answer_view)

    @app_commands.command(name="usage", description="AI tutor use: requests, tokens, what helped")
    @app_commands.describe(scope="This server (its admins) or the whole bot (its owner)")
    @app_commands.default_permissions(manage_guild=True)
    @everywhere
    async def usage(
        self, interaction: discord.Interaction, scope: Literal["server", "bot"] = "server"
    ) -> None:
        await defer(interaction, private=privacy.PERSONAL)  # looking up the owner may be slow
        owner = await self._is_owner(interaction.user)
        guild_id = interaction.guild.id if interaction.guild else None
        if scope == "bot" or guild_id is None:
            if not owner:
                raise OwnerOnly()
            guild_id = None
        elif not owner and not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        content, file = usage_message(await self.services.tutor.report(guild_id))
        await send(interaction, private=privacy.PERSONAL, content=content, file=file)

    async def _is_owner(self, user: discord.abc.User) -> bool:
        try:
            return await self.bot.is_owner(user)
        except discord.HTTPException:  # the application's owner could not be looked up
            log.warning("could not tell whether user %s owns the bot", user.id, exc_info=True)
            return False
