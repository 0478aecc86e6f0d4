"""/run: free-form execution in the sandbox, like an eval command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import RunCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(RunCog(bot))
