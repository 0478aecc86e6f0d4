"""/run: free-form execution in the sandbox, like an eval command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.exts.practice.cog import EVERYWHERE, handle_app_error
from bot.services.practice import check_source

if TYPE_CHECKING:
    from bot.app import PyDojo


class RunModal(discord.ui.Modal, title="Run Python"):
    code: discord.ui.TextInput[RunModal] = discord.ui.TextInput(
        label="Code",
        style=discord.TextStyle.paragraph,
        max_length=4000,
        placeholder="print('hello')",
    )
    stdin: discord.ui.TextInput[RunModal] = discord.ui.TextInput(
        label="Input (stdin, optional)",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=4000,
    )

    def __init__(self, cog: RunCog) -> None:
        super().__init__(timeout=900)
        self.cog = cog

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            await self.cog.execute(interaction, self.code.value, self.stdin.value or "")
        except Exception as exc:
            await handle_app_error(interaction, exc)


class RunCog(commands.Cog, name="Run"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="run", description="Run Python code in the sandbox")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(RunModal(self))

    async def execute(self, interaction: discord.Interaction, code: str, stdin: str) -> None:
        await interaction.response.defer(thinking=True)
        source = check_source(code)
        async with self.services.practice.gate.slot(interaction.user.id):
            result = await self.services.runner.run(source, stdin, owner=str(interaction.user.id))
        content, file = render.run_message(result)
        kwargs = {"file": file} if file else {}
        await interaction.followup.send(
            content=content, allowed_mentions=render.NO_MENTIONS, **kwargs
        )


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(RunCog(bot))
