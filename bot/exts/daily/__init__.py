"""Daily challenges: a problem posted to a server channel each day, with a discussion thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import DailyCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(DailyCog(bot))
