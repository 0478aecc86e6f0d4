"""The services behind the bot, reached from any interaction or message without cog lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import Services


def services_of(client: Any) -> Services:
    """``client`` is the running ``PyDojo`` bot (``interaction.client``, ``cog.bot``)."""
    return client.services  # type: ignore[no-any-return]
