"""Daily challenges: a problem posted to a server channel each day, with a discussion thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import render
from bot.exts.practice.cog import PracticeCog, handle_app_error, reply, where
from bot.exts.practice.views import problem_view
from bot.services.clock import is_valid_zone
from bot.services.practice import Offered

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)


class DailyCog(commands.GroupCog, group_name="daily", group_description="Daily challenge"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        super().__init__()

    async def cog_load(self) -> None:
        self.post_due.start()

    async def cog_unload(self) -> None:
        self.post_due.cancel()

    @app_commands.command(name="today", description="Today's challenge in this server")
    @app_commands.guild_only()
    async def today(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        assert interaction.guild is not None
        challenge = await self.services.daily.today(interaction.guild.id)
        problem = self.services.curriculum.get(challenge.problem_id)
        if problem is None:
            await reply(interaction, ephemeral=True, content="Today's problem is unavailable.")
            return
        context, guild_id, channel_id = where(interaction)
        await self.services.sessions.start(
            interaction.user.id, problem.id, challenge.variant_seed, context=context,
            guild_id=guild_id, channel_id=channel_id, daily_challenge_id=challenge.id,
            reason="today's daily challenge")
        variant = await self.services.practice.variants.get(problem, challenge.variant_seed)
        offered = Offered(problem, variant, "today's daily challenge")
        await reply(interaction, ephemeral=True,
                    embed=render.problem_embed(offered, self.services.curriculum),
                    view=problem_view(problem.id, challenge.variant_seed))

    @app_commands.command(name="setup", description="Post a daily challenge in a channel")
    @app_commands.describe(channel="Where to post", time="Local time HH:MM",
                           time_zone="IANA name, e.g. Europe/Berlin", role="Role to ping")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def setup(self, interaction: discord.Interaction, channel: discord.TextChannel,
                    time: str = "09:00", time_zone: str = "UTC",
                    role: discord.Role | None = None) -> None:
        hour, _, minute = time.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            await reply(interaction, ephemeral=True, content="Time must look like 09:00.")
            return
        if not is_valid_zone(time_zone):
            await reply(interaction, ephemeral=True, content=f"Unknown time zone `{time_zone}`.")
            return
        assert interaction.guild is not None
        await self.services.users.update_guild(
            interaction.guild.id, daily_channel_id=channel.id, time_zone=time_zone,
            daily_time=f"{int(hour):02d}:{int(minute):02d}",
            daily_role_id=role.id if role else None)
        when = await self.services.daily.next_post_at(interaction.guild.id)
        await reply(interaction, ephemeral=True, content=f"Daily challenges will appear in "
                    f"{channel.mention}; the next one <t:{int(when.timestamp())}:R>.")

    @tasks.loop(minutes=1)
    async def post_due(self) -> None:
        """Post today's challenge in every server whose posting time has come."""
        for guild_id in await self.services.daily.due_guilds():
            try:
                await self.post(guild_id)
            except Exception:  # one server's problem must not stop the others
                log.exception("daily challenge for guild %s failed", guild_id)

    @post_due.before_loop
    async def before_post_due(self) -> None:
        await self.bot.wait_until_ready()

    async def post(self, guild_id: int) -> None:
        guild_row = await self.services.users.guild(guild_id)
        channel = self.bot.get_channel(guild_row.daily_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            return
        challenge = await self.services.daily.today(guild_id)
        problem = self.services.curriculum.get(challenge.problem_id)
        if problem is None:
            return
        variant = await self.services.practice.variants.get(problem, challenge.variant_seed)
        embed = render.problem_embed(Offered(problem, variant, "daily challenge"),
                                     self.services.curriculum)
        when = await self.services.daily.next_post_at(guild_id)
        ping = f"<@&{guild_row.daily_role_id}> " if guild_row.daily_role_id else ""
        message = await channel.send(
            content=f"{ping}Today's challenge! Use **Submit** or `/daily today`. "
                    f"Next one <t:{int(when.timestamp()) + 1}:R>.",
            embed=embed, view=problem_view(problem.id, challenge.variant_seed),
            allowed_mentions=discord.AllowedMentions(roles=True, users=False, everyone=False))
        thread = None
        try:
            thread = await message.create_thread(name=f"Daily · {variant.title}"[:100])
        except discord.HTTPException:
            log.info("could not open a discussion thread for the daily challenge")
        await self.services.daily.mark_posted(challenge.id, channel.id, message.id,
                                              thread.id if thread else None)

    async def cog_app_command_error(self, interaction: discord.Interaction,
                                    error: app_commands.AppCommandError) -> None:
        await handle_app_error(interaction, error)

    @property
    def practice(self) -> PracticeCog:
        cog = self.bot.get_cog("Practice")
        assert isinstance(cog, PracticeCog)
        return cog


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(DailyCog(bot))
