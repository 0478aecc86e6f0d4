"""/leaderboard: paged boards, being listed or not, and the board message a server keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import LeaderboardCog
from .views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(LeaderboardCog(bot))
