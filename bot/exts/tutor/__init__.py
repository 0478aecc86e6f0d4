"""The AI tutor at the edge: /ask and /usage, what the Explain, Review and Tailored hint
buttons do (the buttons sit with practice's, in ``bot.exts.practice.views``).

Layout, as in every feature: ``cog.py`` (commands), ``views.py`` (what a press does, fresh
problems for /practice), ``render.py`` (embeds); here also ``words.py``, the answers' wording,
shared with the shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import TutorCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(TutorCog(bot))
