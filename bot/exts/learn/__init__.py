"""/learn: a module's overview and Python notes, and the Read first button that shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import LearnCog
from .views import ReadFirstButton

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    bot.add_dynamic_items(ReadFirstButton)
    await bot.add_cog(LearnCog(bot))
