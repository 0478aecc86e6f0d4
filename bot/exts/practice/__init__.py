"""/practice, /submit, /hint, /reveal, /skip, problem buttons, code modals and code blocks.

Layout, as in every feature: ``cog.py`` (commands and listeners), ``views.py`` (what is posted
and the buttons under it), ``render.py`` (embeds); here also ``modal.py``, ``judging.py``,
``messages.py`` (code-block chat), ``threads.py`` and ``ids.py`` (custom ids).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import PracticeCog
from .views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(PracticeCog(bot))
