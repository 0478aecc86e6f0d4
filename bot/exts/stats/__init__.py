"""/stats and /history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import StatsCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(StatsCog(bot))
