"""Stateless modals: everything a submit needs is in its custom id and its fields.

discord.py keeps an open modal in memory and silently drops a submit it has no live modal for
(after a restart, after the modal's timeout, or when two openings shared a custom id). So the
bot never registers its modals: each opening gets a custom id of its own, and a listener
handles every submit from the id alone, like the persistent ``DynamicItem`` buttons.
"""

from __future__ import annotations

from typing import Any

import discord

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def opening_id(interaction: discord.Interaction) -> str:
    """A short token unique to this opening (interaction ids are unique snowflakes)."""
    number, out = interaction.id, ""
    while number:
        number, digit = divmod(number, 36)
        out = DIGITS[digit] + out
    return out or "0"


async def open_modal(interaction: discord.Interaction, modal: discord.ui.Modal) -> None:
    modal.stop()  # a finished modal is never stored: its submit reaches the listener only
    await interaction.response.send_modal(modal)


def submitted(interaction: discord.Interaction) -> tuple[str, dict[str, str]] | None:
    """(modal custom id, field values by custom id) of a modal submit, else None."""
    if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
        return None
    data: dict[str, Any] = dict(interaction.data)  # type: ignore[arg-type]
    values: dict[str, str] = {}

    def walk(components: list[dict[str, Any]]) -> None:
        for component in components:
            if "custom_id" in component and "value" in component:
                values[component["custom_id"]] = str(component["value"] or "")
            walk(component.get("components") or [])
            if isinstance(component.get("component"), dict):
                walk([component["component"]])

    walk(data.get("components") or [])
    return str(data.get("custom_id", "")), values
