"""The settings screen's buttons and menus.

Each is a ``DynamicItem`` whose custom id says what it changes (a button also says to what),
so the screen works after a restart. Every press checks Manage Server again, changes the
setting, and redraws the screen in place from what was stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from bot.services.server_settings import ServerSettings
from bot.ui.commands import ensure_manager
from bot.ui.context import services_of
from bot.ui.errors import guarded

from .render import settings_embed


@dataclass(frozen=True)
class Toggle:
    field: str
    label: str
    values: tuple[Any, Any]  # (first, second): a press moves to the other one
    words: tuple[str, str]


TOGGLES = {
    "threads": Toggle("practice_threads", "Threads", (True, False), ("on", "off")),
    "verdicts": Toggle("verdicts_private", "Verdicts", (False, True), ("public", "private")),
    "ai": Toggle("ai_enabled", "AI", (True, False), ("on", "off")),
    "dailycode": Toggle(
        "daily_code", "Daily thread code", ("spoiler", "delete"), ("spoiler", "delete")
    ),
}


@dataclass(frozen=True)
class Menu:
    field: str
    placeholder: str
    options: tuple[tuple[str, str, Any], ...]  # (label, option value, setting value)


MENUS = {
    "difficulty": Menu(
        "default_difficulty",
        "Default difficulty",
        (
            ("Default difficulty: what fits each learner", "fit", None),
            ("Default difficulty: beginner", "beginner", "beginner"),
            ("Default difficulty: intermediate", "intermediate", "intermediate"),
            ("Default difficulty: advanced", "advanced", "advanced"),
        ),
    ),
    "cooldown": Menu(
        "cooldown_seconds",
        "Cooldown between submissions",
        (
            ("Cooldown: the bot's default", "default", None),
            *((f"Cooldown: {s} s", str(s), float(s)) for s in (0, 3, 5, 10, 30, 60)),
        ),
    ),
    "budget": Menu(
        "ai_daily_requests",
        "AI budget for this server",
        (
            ("AI budget: the bot's default", "default", None),
            *(
                (f"AI budget: {n} requests a day", str(n), n)
                for n in (0, 25, 50, 100, 250, 500, 1000)
            ),
        ),
    ),
}


def current_option(menu: Menu, settings: ServerSettings) -> str:
    value = getattr(settings, menu.field)
    value = getattr(value, "value", value)  # a Difficulty is stored by its value
    return next((option for _, option, v in menu.options if v == value), menu.options[0][1])


async def apply(interaction: discord.Interaction, **changes: Any) -> None:
    ensure_manager(interaction)
    assert interaction.guild is not None
    services = services_of(interaction.client)
    settings = await services.servers.update(interaction.guild.id, **changes)
    await interaction.response.edit_message(
        embed=settings_embed(settings, services.settings.cooldown_seconds),
        view=settings_view(settings),
    )


def selected(interaction: discord.Interaction) -> list[str]:
    return [str(v) for v in (interaction.data or {}).get("values", [])]  # type: ignore[attr-defined]


class ToggleButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pydojo:set:(?P<key>threads|verdicts|ai|dailycode):(?P<to>[0-1])",
):
    """Shows a setting's current state; a press switches it to the other state."""

    def __init__(self, key: str, to: int) -> None:
        toggle = TOGGLES[key]
        now = 1 - to
        super().__init__(
            discord.ui.Button(
                label=f"{toggle.label}: {toggle.words[now]}",
                style=discord.ButtonStyle.success if now == 0 else discord.ButtonStyle.secondary,
                custom_id=f"pydojo:set:{key}:{to}",
                row=0,
            )
        )
        self.key, self.to = key, to

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ToggleButton:
        return cls(match["key"], int(match["to"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        toggle = TOGGLES[self.key]
        await guarded(interaction, apply(interaction, **{toggle.field: toggle.values[self.to]}))


class MenuSelect(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"pydojo:set:(?P<key>difficulty|cooldown|budget)",
):
    def __init__(self, key: str, current: str | None = None, row: int = 1) -> None:
        menu = MENUS[key]
        super().__init__(
            discord.ui.Select(
                custom_id=f"pydojo:set:{key}",
                placeholder=menu.placeholder,
                options=[
                    discord.SelectOption(label=label, value=option, default=option == current)
                    for label, option, _ in menu.options
                ],
                row=row,
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MenuSelect:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        menu = MENUS[self.key]
        chosen = selected(interaction)
        values = {option: value for _, option, value in menu.options}
        if not chosen or chosen[0] not in values:
            return
        await guarded(interaction, apply(interaction, **{menu.field: values[chosen[0]]}))


class CodeChannelsSelect(
    discord.ui.DynamicItem[discord.ui.ChannelSelect[Any]], template=r"pydojo:set:channels"
):
    """Where code blocks are read; choosing none means every channel."""

    def __init__(self, current: tuple[int, ...] = ()) -> None:
        super().__init__(
            discord.ui.ChannelSelect(
                custom_id="pydojo:set:channels",
                placeholder="Code blocks read in: every channel (or choose some)",
                channel_types=[
                    discord.ChannelType.text,
                    discord.ChannelType.news,
                    discord.ChannelType.forum,
                ],
                min_values=0,
                max_values=25,
                default_values=[discord.Object(c) for c in current],
                row=3,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CodeChannelsSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        channels = [int(c) for c in selected(interaction)]
        await guarded(interaction, apply(interaction, code_channel_ids=channels))


DYNAMIC_ITEMS = (ToggleButton, MenuSelect, CodeChannelsSelect)


def settings_view(settings: ServerSettings) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for key, toggle in TOGGLES.items():
        now = toggle.values.index(getattr(settings, toggle.field))
        view.add_item(ToggleButton(key, 1 - now))
    view.add_item(MenuSelect("difficulty", current_option(MENUS["difficulty"], settings), row=1))
    view.add_item(MenuSelect("cooldown", current_option(MENUS["cooldown"], settings), row=2))
    view.add_item(CodeChannelsSelect(settings.code_channel_ids))
    view.add_item(MenuSelect("budget", current_option(MENUS["budget"], settings), row=4))
    return view
