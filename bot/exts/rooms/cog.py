"""``/room start``, code posted in a room's thread, and Edit draft submits.

In a room's thread a message with a ```py block (or a ``.py`` file) is a member's attempt,
judged for the room; the same sent as a *reply to a draft message* is an edit of the shared
draft based on the version that message shows.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.codeblocks import extract_code
from bot.exts.practice.cog import problem_choices
from bot.exts.practice.threads import parent_channel
from bot.services.errors import LearnerError, SourceTooLarge
from bot.services.rooms import RoomState, StaleDraft
from bot.services.source import MAX_SOURCE_BYTES
from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.errors import SORRY, NoThreadsHere, describe, guarded, wrong_attachment
from bot.ui.modals import submitted
from bot.ui.text import CONTENT_LIMIT, NO_MENTIONS, THREAD_NAME_LIMIT, clip
from curriculum import Difficulty

from .render import room_verdict, stale_message
from .views import DRAFT_FIELD, DRAFT_MODAL, post_draft, post_round, save_draft, test_seconds

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)
ARCHIVE_MINUTES = 1440


class RoomsCog(commands.GroupCog, group_name="room", group_description="Study rooms"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        super().__init__()

    @app_commands.command(name="start", description="Open a thread to solve a problem together")
    @app_commands.describe(
        problem="A specific problem (default: one picked for the room)",
        difficulty="How hard (kept for the room's next problems)",
    )
    @app_commands.guild_only()
    async def start(
        self,
        interaction: discord.Interaction,
        problem: str | None = None,
        difficulty: Difficulty | None = None,
    ) -> None:
        parent = parent_channel(interaction.channel)
        if parent is None or interaction.guild is None:
            raise NoThreadsHere()
        await defer(interaction, private=privacy.POSTED)
        rooms = self.services.rooms
        room = await rooms.open(
            interaction.guild.id,
            parent.id,
            interaction.user.id,
            problem=problem,
            difficulty=difficulty,
        )
        try:
            thread = await parent.create_thread(
                name=clip(f"Study room · {room.title}", THREAD_NAME_LIMIT),
                type=discord.ChannelType.public_thread,
                auto_archive_duration=ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            log.info("could not open a room thread in %s: %s", parent.id, exc)
            await rooms.discard(room.id)
            raise NoThreadsHere() from exc
        room = await rooms.attach_thread(room.id, thread.id)
        try:
            await thread.add_user(interaction.user)
        except discord.HTTPException:
            log.info("could not add %s to room thread %s", interaction.user.id, thread.id)
        await post_round(self.bot, thread, room)
        await send(
            interaction,
            private=privacy.POSTED,
            content=(
                f"📚 {interaction.user.mention} opened a study room for **{clip(room.title, 150)}**"
                f": join in {thread.mention}!"
            ),
        )

    @start.autocomplete("problem")
    async def problem_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return problem_choices(self.services.curriculum, current, None)

    # -- events ----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Edit draft submits, live or opened before a restart."""
        found = submitted(interaction)
        match = DRAFT_MODAL.fullmatch(found[0]) if found else None
        if found is None or match is None:
            return
        code = found[1].get(DRAFT_FIELD, "")
        await guarded(
            interaction, save_draft(interaction, int(match["room"]), int(match["version"]), code)
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        if not isinstance(message.channel, discord.Thread):
            return
        found = extract_code(message.content)
        files = [a for a in message.attachments if a.filename.lower().endswith(".py")]
        if found.code is None and not files and found.nudge is None and not message.attachments:
            return  # no code: talk in a room is for people, and costs no database read
        room = await self.services.rooms.in_thread(message.channel.id)
        if room is None:
            return
        reply: dict[str, Any]
        try:
            if found.code is None and not files:  # a failed attempt at sending code
                if found.nudge is None:
                    first = message.attachments[0]
                    raise wrong_attachment(first.filename, first.content_type)
                reply = {"content": found.nudge}
            else:
                reply = await self._answer(message, room, found.code, files)
        except StaleDraft as stale:
            content, file = stale_message(stale)
            reply = {"content": content, "file": file}
        except LearnerError as exc:
            reply = {"content": clip(describe(exc) or SORRY, CONTENT_LIMIT)}
        except Exception:
            log.exception("room %s: message %s failed", room.id, message.id)
            reply = {"content": SORRY}
        if reply:
            try:
                await message.reply(**reply, mention_author=False, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException:
                log.warning("could not answer message %s", message.id, exc_info=True)

    async def _answer(
        self,
        message: discord.Message,
        room: RoomState,
        block: str | None,
        files: list[discord.Attachment],
    ) -> dict[str, Any]:
        """The reply to code posted in a room ({} when it was answered already)."""
        rooms = self.services.rooms
        source: str | bytes
        if files:
            if files[0].size > MAX_SOURCE_BYTES:
                raise SourceTooLarge(files[0].size, MAX_SOURCE_BYTES)
            source = await files[0].read()
        else:
            assert block is not None
            source = block
        reference = message.reference
        version = None
        if reference is not None and reference.message_id is not None:
            version = await rooms.version_shown(room.id, reference.message_id)
        if version is not None:
            edit = await rooms.edit_draft(room.id, message.author.id, source, version)
            await post_draft(
                self.bot,
                message.channel,
                edit.room,
                edit.version,
                edit.room.draft,
                author=message.author.id,
                edit=edit,
                reply_to=message,
            )
            return {}
        async with message.channel.typing():
            judged = await rooms.attempt(room.id, message.author.id, source)
        return {"embed": room_verdict(judged, test_seconds=test_seconds(self.bot, judged))}
