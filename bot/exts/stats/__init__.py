"""/stats and /history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.exts.practice.cog import EVERYWHERE, handle_app_error, reply
from bot.services.clock import local_day

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

    @app_commands.command(name="leaderboard", description="This server's top learners")
    @app_commands.describe(period="All time, this week, or today's daily challenge")
    @app_commands.choices(period=[app_commands.Choice(name="all time", value="all"),
                                  app_commands.Choice(name="this week", value="week"),
                                  app_commands.Choice(name="today's daily", value="daily")])
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction, period: str = "all") -> None:
        await interaction.response.defer(thinking=True)
        assert interaction.guild is not None
        boards = self.services.leaderboard
        if period == "daily":
            guild = await self.services.users.guild(interaction.guild.id)
            day = local_day(self.services.clock(), guild.time_zone)
            lines = [f"**{e.rank}.** <@{e.user_id}> · {e.attempts} attempt(s) · "
                     f"<t:{int(e.solved_at.timestamp())}:t>"
                     for e in await boards.daily(interaction.guild.id, day)]
            title = "Today's daily challenge"
        else:
            entries = await (boards.this_week(interaction.guild.id) if period == "week"
                             else boards.all_time(interaction.guild.id))
            lines = [f"**{e.rank}.** <@{e.user_id}> · {e.xp} XP · {e.solves} solved"
                     for e in entries]
            title = "This week" if period == "week" else "All time"
        embed = discord.Embed(title=f"🏆 {title}", colour=0x5865F2, description=render.clip(
            "\n".join(lines) or "Nobody yet — be the first!", render.DESCRIPTION_LIMIT))
        embed.set_footer(text="Solves made in this server count here; "
                              "others count once you opt in.")
        await reply(interaction, embed=embed)

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await handle_app_error(interaction, error)


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(StatsCog(bot))
