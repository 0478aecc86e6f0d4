"""``/leaderboard all|week|today|daily`` (paged), ``hide``/``show``, and the self-updating board
message a server may keep in a channel (``board``): edited in place, never re-posted."""

from __future__ import annotations

import contextlib
import json
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.services.server_settings import ServerSettings
from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.commands import ensure_manager

from .render import TITLES
from .views import SHARED, board, token_of

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)
BOARD_MINUTES = 10


@app_commands.guild_only()
class LeaderboardCog(
    commands.GroupCog, group_name="leaderboard", group_description="This server's boards"
):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        self._shown: dict[int, str] = {}  # guild -> the board message's content as last sent
        super().__init__()

    async def cog_load(self) -> None:
        self.refresh_loop.start()

    async def cog_unload(self) -> None:
        self.refresh_loop.cancel()

    # -- reading boards -------------------------------------------------------------------

    async def _show(self, interaction: discord.Interaction, token: str) -> None:
        assert interaction.guild is not None
        await defer(interaction, private=privacy.SHARED)
        embed, view, picture = await board(
            self.bot, interaction.guild.id, token, 1, interaction.user.id
        )
        await send(interaction, private=privacy.SHARED, embed=embed, view=view, file=picture)

    @app_commands.command(name="all", description="All-time top learners")
    async def all_time(self, interaction: discord.Interaction) -> None:
        await self._show(interaction, "all")

    @app_commands.command(name="week", description="This week's top learners")
    async def week(self, interaction: discord.Interaction) -> None:
        await self._show(interaction, "week")

    @app_commands.command(name="today", description="Today's top learners")
    async def today(self, interaction: discord.Interaction) -> None:
        await self._show(interaction, "today")

    @app_commands.command(name="daily", description="Today's daily challenge, in solving order")
    async def daily(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await defer(interaction, private=privacy.SHARED)
        challenge = await self.services.daily.current(interaction.guild.id)
        token = token_of("daily", challenge.id)
        embed, view, picture = await board(
            self.bot, interaction.guild.id, token, 1, interaction.user.id
        )
        await send(interaction, private=privacy.SHARED, embed=embed, view=view, file=picture)

    # -- being listed ---------------------------------------------------------------------

    @app_commands.command(name="hide", description="Leave this server's boards")
    async def hide(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await self.services.leaderboard.set_listed(interaction.guild.id, interaction.user.id, False)
        await send(
            interaction,
            private=privacy.PERSONAL,
            content="You are no longer listed on this server's boards (your progress is kept). "
            "`/leaderboard show` lists you again.",
        )

    @app_commands.command(name="show", description="Be listed on this server's boards")
    @app_commands.describe(everywhere="Also count what you solve in DMs and other servers")
    async def show(self, interaction: discord.Interaction, everywhere: bool | None = None) -> None:
        assert interaction.guild is not None
        await self.services.leaderboard.set_listed(
            interaction.guild.id, interaction.user.id, True, all_solves=everywhere
        )
        counted = {
            True: " Solves you make anywhere count here.",
            False: " Only solves made in this server count here.",
            None: "",
        }[everywhere]
        await send(
            interaction,
            private=privacy.PERSONAL,
            content="You are listed on this server's boards." + counted,
        )

    # -- the self-updating board message -----------------------------------------------------

    @app_commands.command(
        name="board", description="Managers: keep a board in a channel, updated in place"
    )
    @app_commands.describe(
        channel="Where (leave empty to stop)", period="Which board (default: this week)"
    )
    @app_commands.choices(
        period=[
            app_commands.Choice(name="this week", value="week"),
            app_commands.Choice(name="today", value="today"),
            app_commands.Choice(name="all time", value="all"),
        ]
    )
    async def board_message(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        period: str = "week",
    ) -> None:
        ensure_manager(interaction)
        assert interaction.guild is not None
        await defer(interaction, private=privacy.PERSONAL)
        old = await self.services.servers.get(interaction.guild.id)
        await self._remove(old)
        if channel is None:
            await self.services.servers.update(
                interaction.guild.id, board_channel_id=None, board_message_id=None
            )
            await send(interaction, private=privacy.PERSONAL, content="The board message is off.")
            return
        settings = await self.services.servers.update(
            interaction.guild.id,
            board_channel_id=channel.id,
            board_message_id=None,
            board_period=period,
        )
        posted = await self.refresh(settings)
        text = (
            f"The {TITLES[period].lower()} board is in {channel.mention}; I edit it every "
            f"{BOARD_MINUTES} minutes."
            if posted
            else f"I could not post in {channel.mention}: check that I may send messages there."
        )
        await send(interaction, private=privacy.PERSONAL, content=text)

    async def _remove(self, settings: ServerSettings) -> None:
        if settings.board_channel_id is None or settings.board_message_id is None:
            return
        channel = self.bot.get_channel(settings.board_channel_id)
        if isinstance(channel, discord.TextChannel):
            # Already gone, or not ours to delete any more: either way it is not updated.
            with contextlib.suppress(discord.HTTPException):
                await channel.get_partial_message(settings.board_message_id).delete()
        self._shown.pop(settings.guild_id, None)

    @tasks.loop(minutes=BOARD_MINUTES)
    async def refresh_loop(self) -> None:
        await self.refresh_all()

    @refresh_loop.before_loop
    async def before_refresh(self) -> None:
        await self.bot.wait_until_ready()

    async def refresh_all(self) -> None:
        """Every server's board message, edited where it changed (one loop for all)."""
        for settings in await self.services.servers.scheduled():
            if settings.board_channel_id is None:
                continue
            try:
                await self.refresh(settings)
            except Exception:  # one server's problem must not stop the others
                log.exception("board message for guild %s failed", settings.guild_id)

    async def refresh(self, settings: ServerSettings) -> bool:
        """Edit the board message in place (posting it if it is missing); False when the
        channel cannot be written to."""
        channel = self.bot.get_channel(settings.board_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            return False
        embed, view, picture = await board(
            self.bot, settings.guild_id, settings.board_period, 1, SHARED, shared=True
        )
        embed.title = f"{embed.title} · updated every {BOARD_MINUTES} min"
        content = json.dumps(embed.to_dict(), sort_keys=True)
        if settings.board_message_id is not None:
            if self._shown.get(settings.guild_id) == content:
                return True  # unchanged: no edit, no traffic
            try:
                await channel.get_partial_message(settings.board_message_id).edit(
                    embed=embed, view=view, attachments=[picture]
                )
                self._shown[settings.guild_id] = content
                return True
            except discord.NotFound:
                log.info("board of guild %s was deleted: posting it again", settings.guild_id)
            except discord.HTTPException as exc:
                log.warning("could not edit the board of guild %s: %s", settings.guild_id, exc)
                return False
        try:
            message = await channel.send(embed=embed, view=view, file=picture)
        except discord.HTTPException as exc:
            log.warning("could not post the board of guild %s: %s", settings.guild_id, exc)
            return False
        await self.services.servers.update(settings.guild_id, board_message_id=message.id)
        self._shown[settings.guild_id] = content
        return True
