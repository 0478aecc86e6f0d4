"""Autocomplete entries that several commands share: modules by their menu title."""

from __future__ import annotations

from discord import app_commands

from curriculum import Curriculum

from .text import CHOICE_NAME_LIMIT, clip

CHOICES = 25  # Discord's most per autocomplete


def module_choices(curriculum: Curriculum, typed: str) -> list[app_commands.Choice[str]]:
    text = typed.casefold()
    return [
        app_commands.Choice(name=clip(m.title, CHOICE_NAME_LIMIT), value=m.id)
        for m in curriculum.modules.values()
        if text in m.id or text in m.title.casefold()
    ][:CHOICES]
