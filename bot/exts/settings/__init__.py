"""/settings: how practice works in this server, for its managers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import SettingsCog
from .views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(SettingsCog(bot))
