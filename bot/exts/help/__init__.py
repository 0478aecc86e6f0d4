"""/help: how to use the bot, in one screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import HelpCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(HelpCog(bot))
