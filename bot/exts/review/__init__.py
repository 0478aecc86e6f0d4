"""/review: problems a learner struggled with, back for another try."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import ReviewCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(ReviewCog(bot))
