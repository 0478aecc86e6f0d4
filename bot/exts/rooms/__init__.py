"""Study rooms: ``/room start`` opens a thread where a group solves problems together.

Layout as in every feature: ``cog.py`` (the command and the listeners for code posted in a
room), ``views.py`` (buttons, the Edit draft modal and what each press does), ``render.py``
(messages), the words of its errors are in ``bot.ui.errors``. The logic is ``bot.services.rooms``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import RoomsCog
from .views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(RoomsCog(bot))
