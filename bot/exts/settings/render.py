"""The settings screen: one embed saying what each setting is now and what it does."""

from __future__ import annotations

import discord

from bot.services.server_settings import ServerSettings
from bot.ui.text import FIELD_LIMIT, clip

INFO_COLOUR = 0x5865F2
BOARD_PERIODS = {"all": "all time", "week": "this week", "today": "today"}


def on_off(value: bool) -> str:
    return "on" if value else "off"


def channels_text(ids: tuple[int, ...]) -> str:
    if not ids:
        return "every channel"
    return clip(", ".join(f"<#{c}>" for c in ids), FIELD_LIMIT)


def daily_text(settings: ServerSettings) -> str:
    if settings.daily_channel_id is None:
        return "not set up — `/daily setup`"
    state = "" if settings.daily_enabled else " — **paused** (`/daily setup` resumes it)"
    role = f", pings <@&{settings.daily_role_id}>" if settings.daily_role_id else ""
    level = settings.daily_difficulty.value if settings.daily_difficulty else "weekly rotation"
    code = (
        "re-posted as spoilers" if settings.daily_code == "spoiler" else "deleted (sent back by DM)"
    )
    return (
        f"<#{settings.daily_channel_id}> at {settings.daily_time} {settings.time_zone}{role}; "
        f"{level}; code posted in its thread is {code}{state}"
    )


def settings_embed(settings: ServerSettings, bot_cooldown: float) -> discord.Embed:
    cooldown = (
        f"{bot_cooldown:g} s (the bot's default)"
        if settings.cooldown_seconds is None
        else f"{settings.cooldown_seconds:g} s"
    )
    difficulty = (
        settings.default_difficulty.value
        if settings.default_difficulty
        else "what fits each learner's record"
    )
    budget = (
        "the bot's default"
        if settings.ai_daily_requests is None
        else f"{settings.ai_daily_requests} requests a day"
    )
    verdicts = (
        "private: only the learner sees them (code posted in chat gets its verdict by DM)"
        if settings.verdicts_private
        else "public in each learner's own thread"
    )
    threads = (
        "on: each learner practises in a thread of their own"
        if settings.practice_threads
        else "off: problems are posted where they are asked for"
    )
    board = (
        f"<#{settings.board_channel_id}>, {BOARD_PERIODS.get(settings.board_period, 'week')}, "
        "edited in place"
        if settings.board_channel_id
        else "none — `/leaderboard board`"
    )
    embed = discord.Embed(
        title="⚙️ pydojo settings for this server",
        colour=INFO_COLOUR,
        description="Changes apply at once. Only members with **Manage Server** see this.",
    )
    for name, value in (
        ("Practice threads", threads),
        ("Verdicts", verdicts),
        ("Cooldown between submissions", cooldown),
        ("Code blocks are read in", channels_text(settings.code_channel_ids)),
        ("Default difficulty", difficulty),
        ("AI features", f"{on_off(settings.ai_enabled)} · budget: {budget}"),
        ("Daily challenge", daily_text(settings)),
        ("Self-updating leaderboard", board),
    ):
        embed.add_field(name=name, value=clip(value, FIELD_LIMIT), inline=False)
    return embed
