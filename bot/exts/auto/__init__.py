"""/auto start|status|stop: the service chooses the next problem and says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import AutoCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(AutoCog(bot))
