"""/auto start|status|stop: the service chooses the next problem and says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.practice.cog import EVERYWHERE, PracticeCog, handle_app_error, reply

if TYPE_CHECKING:
    from bot.app import PyDojo


@app_commands.allowed_contexts(**EVERYWHERE)
@app_commands.allowed_installs(guilds=True, users=True)
class AutoCog(commands.GroupCog, group_name="auto", group_description="Auto mode"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        super().__init__()

    @property
    def practice(self) -> PracticeCog:
        cog = self.bot.get_cog("Practice")
        assert isinstance(cog, PracticeCog)
        return cog

    @app_commands.command(name="start", description="Start or resume auto mode")
    async def start(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        pick = await self.services.automode.start(interaction.user.id)
        await self.practice.post_problem(interaction, await self.services.practice.offer_auto(pick))

    @app_commands.command(name="status", description="How your auto-mode run is going")
    async def status(self, interaction: discord.Interaction) -> None:
        status = await self.services.automode.status(interaction.user.id)
        if status is None:
            await reply(interaction, ephemeral=True, content="No auto-mode run: `/auto start`.")
            return
        levels = "\n".join(f"`{key}`: {level}" for key, level in sorted(status.levels.items()))
        upcoming = "\n".join(f"• {reason}" for reason in status.upcoming) or "chosen as you go"
        embed = discord.Embed(
            title="🤖 Auto mode",
            colour=0x5865F2,
            description=(
                f"Streak **{status.streak}** · solved {status.solved} of {status.attempted} "
                f"attempts\nNow: `{status.current_problem_id or '—'}` — {status.current_reason}"
            ),
        )
        embed.add_field(name="Up next", value=upcoming[:1024], inline=False)
        embed.add_field(
            name="Level per topic", value=(levels or "all beginner")[:1024], inline=False
        )
        await reply(interaction, ephemeral=True, embed=embed)

    @app_commands.command(name="stop", description="Stop auto mode (your progress is kept)")
    async def stop(self, interaction: discord.Interaction) -> None:
        stopped = await self.services.automode.stop(interaction.user.id)
        await reply(
            interaction,
            ephemeral=True,
            content="Auto mode stopped; `/auto start` resumes a new run."
            if stopped
            else "Auto mode was not running.",
        )

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await handle_app_error(interaction, error)


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(AutoCog(bot))
