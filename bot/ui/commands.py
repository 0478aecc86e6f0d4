"""Where slash commands may be used (servers, DMs and group DMs, as server or user installs),
and who may use those that change a server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

T = TypeVar("T")
EVERYWHERE = {"guilds": True, "dms": True, "private_channels": True}


def everywhere(command: T) -> T:
    """Usable in servers and DMs, installed to a server or to a user."""
    decorate: Callable[[T], T] = app_commands.allowed_contexts(**EVERYWHERE)  # type: ignore[assignment]
    installs: Callable[[T], T] = app_commands.allowed_installs(guilds=True, users=True)  # type: ignore[assignment]
    return installs(decorate(command))


def ensure_manager(interaction: discord.Interaction) -> None:
    """Buttons and menus that change a server: Manage Server only (like the commands that
    post them), whoever manages to click them."""
    permissions = interaction.permissions
    if interaction.guild is None or not (permissions.manage_guild or permissions.administrator):
        raise app_commands.MissingPermissions(["manage_guild"])


managers_only = app_commands.checks.has_permissions(manage_guild=True)
