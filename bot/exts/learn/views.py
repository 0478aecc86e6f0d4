"""The Read first button under a learner's first problem of a module."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.catalog import find_module
from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.context import services_of
from bot.ui.errors import guarded

from .render import module_embed

MODULE = r"(?P<module>[a-z0-9-]{1,80})"


class ReadFirstButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"pydojo:learn:{MODULE}"
):
    def __init__(self, module_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Read first",
                style=discord.ButtonStyle.secondary,
                emoji="📘",
                custom_id=f"pydojo:learn:{module_id}",
            )
        )
        self.module_id = module_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReadFirstButton:
        return cls(match["module"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, show_module(interaction, self.module_id))


async def show_module(interaction: discord.Interaction, module_id: str) -> None:
    curriculum = services_of(interaction.client).curriculum
    module = find_module(curriculum, module_id)
    await send(interaction, private=privacy.PERSONAL, embed=module_embed(module, curriculum))
