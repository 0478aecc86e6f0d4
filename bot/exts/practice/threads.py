"""Each learner's own practice thread: reused while it is open, opened when needed."""

from __future__ import annotations

import logging

import discord

from bot.ui.context import services_of
from bot.ui.text import THREAD_NAME_LIMIT, clip

log = logging.getLogger(__name__)
ARCHIVE_MINUTES = 1440


def parent_channel(channel: object) -> discord.TextChannel | None:
    """The text channel practice threads open in, seen from a channel or a thread in it."""
    if isinstance(channel, discord.Thread):
        channel = channel.parent
    return channel if isinstance(channel, discord.TextChannel) else None


async def learner_thread(interaction: discord.Interaction) -> discord.Thread | None:
    """The learner's thread under this channel: their newest open one, else a new one. None
    where threads are switched off or cannot be made (the problem is then posted in place)."""
    services = services_of(interaction.client)
    parent = parent_channel(interaction.channel)
    if parent is None or interaction.guild is None:
        return None
    if not (await services.servers.get(interaction.guild.id)).practice_threads:
        return None
    user = interaction.user
    for thread_id in await services.sessions.threads_of(user.id):
        thread = interaction.guild.get_thread(thread_id)
        if (
            thread is not None
            and thread.parent_id == parent.id
            and not thread.archived
            and not thread.locked
        ):
            return thread
    try:
        thread = await parent.create_thread(
            name=clip(f"{user.display_name} · practice", THREAD_NAME_LIMIT),
            type=discord.ChannelType.public_thread,
            auto_archive_duration=ARCHIVE_MINUTES,
        )
        await thread.add_user(user)
    except discord.HTTPException as exc:
        log.info("could not open a practice thread in %s: %s", parent.id, exc)
        return None
    return thread
