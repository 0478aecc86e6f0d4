"""/practice, /submit, /hint, /reveal, /skip, problem buttons and code-block messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import PracticeCog
from .views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(PracticeCog(bot))
