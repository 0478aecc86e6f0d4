"""A study room's buttons and modal, and what each press does.

Buttons are ``DynamicItem``s whose custom id carries the room (and, for Next, the problem round
it was shown under), so they keep working on old messages and after restarts. The Edit draft
modal names the room and the version it was prefilled with: ``pydojo:roomdraft:<room>:<v>:<o>``;
its submit is handled from that id alone (see ``bot.ui.modals``).
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any, ClassVar, Self

import discord

from bot.services.rooms import NotAMember, RoomClosed, RoomState, StaleDraft
from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.context import services_of
from bot.ui.errors import CODE, DraftTooLongToEdit, NotInRoomThread, guarded
from bot.ui.modals import open_modal, opening_id
from bot.ui.text import MODAL_TITLE_LIMIT, NO_MENTIONS, TEXT_INPUT_LIMIT, clip

from .render import draft_message, room_intro, room_verdict, scoreboard_embed, stale_message

log = logging.getLogger(__name__)

ROOM = r"(?P<room>\d{1,19})"
DRAFT_MODAL = re.compile(rf"pydojo:roomdraft:{ROOM}:(?P<version>\d{{1,10}}):[0-9a-z]{{1,16}}")
DRAFT_FIELD = "draft"


def moderator(interaction: discord.Interaction) -> bool:
    return interaction.guild is not None and interaction.permissions.manage_threads


class _RoomButton:
    action: ClassVar[str]
    label: ClassVar[str]
    emoji: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, room_id: int) -> None:
        super().__init__(  # type: ignore[call-arg]  # DynamicItem, next in the MRO
            discord.ui.Button(
                label=self.label,
                style=self.style,
                emoji=self.emoji,
                custom_id=f"pydojo:room:{self.action}:{room_id}",
            )
        )
        self.room_id = room_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(int(match["room"]))


class JoinButton(
    _RoomButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:room:join:{ROOM}",
):
    action, label, emoji, style = "join", "Join", "🙋", discord.ButtonStyle.success

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, join_room(interaction, self.room_id))


class EditDraftButton(
    _RoomButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:room:edit:{ROOM}",
):
    action, label, emoji, style = "edit", "Edit draft", "✏️", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, open_editor(interaction, self.room_id))


class RunDraftButton(
    _RoomButton, discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"pydojo:room:run:{ROOM}"
):
    action, label, emoji, style = "run", "Run draft", "▶️", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, run_draft(interaction, self.room_id))


class BoardButton(
    _RoomButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:room:board:{ROOM}",
):
    action, label, emoji = "board", "Scoreboard", "🏆"

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, show_board(interaction, self.room_id))


class CloseButton(
    _RoomButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:room:close:{ROOM}",
):
    action, label, emoji, style = "close", "Close room", "🚪", discord.ButtonStyle.danger

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, close_room(interaction, self.room_id))


class NextButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:room:next:{ROOM}:(?P<round>\d{{1,6}})",
):
    def __init__(self, room_id: int, round_: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Next problem",
                style=discord.ButtonStyle.success,
                emoji="➡️",
                custom_id=f"pydojo:room:next:{room_id}:{round_}",
            )
        )
        self.room_id, self.round = room_id, round_

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NextButton:
        return cls(int(match["room"]), int(match["round"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, next_problem(interaction, self.room_id, self.round))


DYNAMIC_ITEMS = (JoinButton, EditDraftButton, RunDraftButton, BoardButton, CloseButton, NextButton)


def intro_view(room_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(JoinButton(room_id))
    view.add_item(BoardButton(room_id))
    view.add_item(CloseButton(room_id))
    return view


def draft_view(room_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(EditDraftButton(room_id))
    view.add_item(RunDraftButton(room_id))
    view.add_item(JoinButton(room_id))
    return view


def solved_view(room_id: int, round_: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(NextButton(room_id, round_))
    view.add_item(CloseButton(room_id))
    view.add_item(BoardButton(room_id))
    return view


class DraftModal(discord.ui.Modal):
    def __init__(self, custom_id: str, title: str, draft: str) -> None:
        super().__init__(title=title, custom_id=custom_id)
        self.add_item(
            discord.ui.TextInput(
                label="The shared draft",
                style=discord.TextStyle.paragraph,
                custom_id=DRAFT_FIELD,
                max_length=TEXT_INPUT_LIMIT,
                default=draft or None,
            )
        )


# -- posting to the room -------------------------------------------------------------------------


def room_thread(interaction: discord.Interaction, room: RoomState) -> discord.abc.Messageable:
    """The room's thread: where the interaction came from, or found by id."""
    channel = interaction.channel
    if isinstance(channel, discord.Thread) and channel.id == room.thread_id:
        return channel
    if interaction.guild is not None and room.thread_id is not None:
        thread = interaction.guild.get_thread(room.thread_id)
        if thread is not None:
            return thread
    raise NotInRoomThread()


async def post_round(client: Any, thread: discord.abc.Messageable, room: RoomState) -> None:
    """The problem of the room's current round, then its draft v1 (replies to it edit it)."""
    services = services_of(client)
    variant = await services.practice.variants.get(room.problem, room.seed)
    content, embed = room_intro(room, variant, services.curriculum)
    await thread.send(
        content=content, embed=embed, view=intro_view(room.id), allowed_mentions=NO_MENTIONS
    )
    await post_draft(client, thread, room, room.version, room.draft, author=None)


async def post_draft(
    client: Any,
    thread: discord.abc.Messageable,
    room: RoomState,
    version: int,
    source: str,
    *,
    author: int | None,
    edit: Any = None,
    reply_to: discord.Message | None = None,
) -> discord.Message:
    embed, file = draft_message(room, version, source, author=author, edit=edit)
    fields: dict[str, Any] = {"embed": embed, "view": draft_view(room.id)}
    if file is not None:
        fields["file"] = file
    if reply_to is not None:
        posted = await reply_to.reply(**fields, mention_author=False, allowed_mentions=NO_MENTIONS)
    else:
        posted = await thread.send(**fields, allowed_mentions=NO_MENTIONS)
    await services_of(client).rooms.draft_posted(room.id, room.round, version, posted.id)
    return posted


def test_seconds(client: Any, judged: Any) -> float:
    services = services_of(client)
    return judged.variant.spec.test_seconds or services.runner.limits.test_seconds


# -- what each press does ------------------------------------------------------------------------


async def join_room(interaction: discord.Interaction, room_id: int) -> None:
    await defer(interaction, private=privacy.POSTED)
    room, new = await services_of(interaction.client).rooms.join(room_id, interaction.user.id)
    if not new:
        await send(interaction, private=privacy.PERSONAL, content="You are already in this room.")
        return
    await send(
        interaction,
        private=privacy.POSTED,
        content=f"🙋 {interaction.user.mention} joined the room ({len(room.members)} members).",
    )


async def open_editor(interaction: discord.Interaction, room_id: int) -> None:
    """The modal must be the first response: one read, then the modal."""
    room = await services_of(interaction.client).rooms.get(room_id)
    if not room.is_open:
        raise RoomClosed()
    if interaction.user.id not in room.members:
        raise NotAMember()
    if len(room.draft) > TEXT_INPUT_LIMIT:
        raise DraftTooLongToEdit(len(room.draft), TEXT_INPUT_LIMIT)
    custom_id = f"pydojo:roomdraft:{room.id}:{room.version}:{opening_id(interaction)}"
    title = clip(f"Draft v{room.version}: {room.title}", MODAL_TITLE_LIMIT)
    await open_modal(interaction, DraftModal(custom_id, title, room.draft))


async def save_draft(
    interaction: discord.Interaction, room_id: int, base_version: int, code: str
) -> None:
    """An Edit draft submit: a new version for the room, or the diff to merge, privately."""
    interaction.extras[CODE] = code  # any error hands the code back
    await defer(interaction, private=privacy.PERSONAL)
    rooms = services_of(interaction.client).rooms
    try:
        edit = await rooms.edit_draft(room_id, interaction.user.id, code, base_version)
    except StaleDraft as stale:
        content, file = stale_message(stale)
        await send(interaction, private=privacy.PERSONAL, content=content, file=file)
        return
    thread = room_thread(interaction, edit.room)
    posted = await post_draft(
        interaction.client,
        thread,
        edit.room,
        edit.version,
        edit.room.draft,
        author=interaction.user.id,
        edit=edit,
    )
    await send(
        interaction,
        private=privacy.PERSONAL,
        content=f"Saved as **v{edit.version}**: {posted.jump_url}",
    )


async def run_draft(interaction: discord.Interaction, room_id: int) -> None:
    await defer(interaction, private=privacy.POSTED)
    judged = await services_of(interaction.client).rooms.run_draft(room_id, interaction.user.id)
    embed = room_verdict(judged, test_seconds=test_seconds(interaction.client, judged))
    view = solved_view(room_id, judged.room.round) if judged.solved_now else None
    await send(interaction, private=privacy.POSTED, embed=embed, view=view)


async def next_problem(interaction: discord.Interaction, room_id: int, from_round: int) -> None:
    await defer(interaction, private=privacy.POSTED)
    room, moved = await services_of(interaction.client).rooms.next_problem(
        room_id, interaction.user.id, from_round, moderator=moderator(interaction)
    )
    if not moved:
        await send(
            interaction,
            private=privacy.PERSONAL,
            content=f"The room has already moved on: it is on problem {room.round} now.",
        )
        return
    await send(
        interaction,
        private=privacy.POSTED,
        content=f"➡️ {interaction.user.mention} moved the room on to problem {room.round}.",
    )
    await post_round(interaction.client, room_thread(interaction, room), room)


async def close_room(interaction: discord.Interaction, room_id: int) -> None:
    await defer(interaction, private=privacy.POSTED)
    board = await services_of(interaction.client).rooms.close(
        room_id, interaction.user.id, moderator=moderator(interaction)
    )
    await send(
        interaction,
        private=privacy.POSTED,
        content="🚪 The room is closed. Thanks for solving together!",
        embed=scoreboard_embed(board),
    )
    thread = interaction.channel
    if isinstance(thread, discord.Thread):
        # Locked and archived, so the closed room leaves the channel's list of active threads
        # (locking needs Manage Threads; without it the thread is only archived).
        try:
            await thread.edit(archived=True, locked=True)
        except discord.Forbidden:
            with contextlib.suppress(discord.HTTPException):
                await thread.edit(archived=True)
        except discord.HTTPException as exc:
            log.info("could not archive closed room thread %s: %s", thread.id, exc)


async def show_board(interaction: discord.Interaction, room_id: int) -> None:
    await defer(interaction, private=privacy.PERSONAL)
    board = await services_of(interaction.client).rooms.scoreboard(room_id)
    await send(interaction, private=privacy.PERSONAL, embed=scoreboard_embed(board))
