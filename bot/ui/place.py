"""Where an interaction or message happened, in the terms the privacy rules and records use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import discord

from bot.services.catalog import ProblemRef
from bot.services.practice import Where
from bot.services.server_settings import ServerSettings

if TYPE_CHECKING:
    from bot.app import Services


class Place(StrEnum):
    DM = "dm"
    OWN_THREAD = "own_thread"  # the learner's own practice thread
    OTHERS_THREAD = "others_thread"  # a practice thread that belongs to someone else
    DAILY = "daily"  # the channel or discussion thread of a daily challenge post
    CHANNEL = "channel"  # anywhere else in a server


@dataclass(frozen=True)
class Location:
    place: Place
    guild_id: int | None
    channel_id: int | None
    in_thread: bool
    thread_owner: int | None = None  # of a practice thread
    thread_problem: ProblemRef | None = None  # what a practice thread shows
    daily_problem: ProblemRef | None = None  # what a daily challenge post shows
    settings: ServerSettings | None = None  # the server's (None in a DM)
    parent_id: int | None = None  # the channel a thread is in (else the channel itself)

    @property
    def where(self) -> Where:
        context = "dm" if self.guild_id is None else "thread" if self.in_thread else "guild"
        return Where(
            context,
            self.guild_id,
            self.channel_id,
            own_thread=self.place is Place.OWN_THREAD,
            cooldown_seconds=self.settings.cooldown_seconds if self.settings else None,
        )

    @property
    def verdicts_private(self) -> bool:
        """The server keeps every verdict for the learner's eyes (a DM is private anyway)."""
        return self.settings is not None and self.settings.verdicts_private

    @property
    def reads_code(self) -> bool:
        """Code blocks posted here are read: everywhere, unless the server chose channels (a
        daily challenge's own post and thread always are)."""
        if self.settings is None or self.place is Place.DAILY:
            return True
        return self.settings.reads_code_in(self.parent_id)


async def locate(services: Services, user_id: int, channel: Any, guild: Any) -> Location:
    """One or two indexed reads: is this a practice thread (whose?), or a daily post's place?"""
    channel_id = channel.id if channel is not None else None
    if guild is None:
        return Location(Place.DM, None, channel_id, in_thread=False)
    in_thread = isinstance(channel, discord.Thread)
    settings = await services.servers.get(guild.id)  # cached: no read on most events
    parent = getattr(channel, "parent_id", None) if in_thread else channel_id
    if in_thread and channel_id is not None:
        thread = await services.sessions.thread(channel_id)
        if thread is not None:
            place = Place.OWN_THREAD if thread.user_id == user_id else Place.OTHERS_THREAD
            return Location(
                place,
                guild.id,
                channel_id,
                True,
                thread.user_id,
                ProblemRef(thread.problem_id, thread.variant_seed),
                settings=settings,
                parent_id=parent,
            )
    if channel_id is not None:
        daily = await services.daily.posted_in(guild.id, channel_id)
        if daily is not None:
            return Location(
                Place.DAILY,
                guild.id,
                channel_id,
                in_thread,
                daily_problem=ProblemRef(daily.problem_id, daily.variant_seed),
                settings=settings,
                parent_id=parent,
            )
    return Location(
        Place.CHANNEL, guild.id, channel_id, in_thread, settings=settings, parent_id=parent
    )


async def locate_interaction(services: Services, interaction: discord.Interaction) -> Location:
    return await locate(services, interaction.user.id, interaction.channel, interaction.guild)


async def locate_message(services: Services, message: discord.Message) -> Location:
    return await locate(services, message.author.id, message.channel, message.guild)
