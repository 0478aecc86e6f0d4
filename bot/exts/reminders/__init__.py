"""/remind and /timezone: streak reminders by DM, on the learner's own clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import RemindersCog, TimeZoneCog

if TYPE_CHECKING:
    from bot.app import PyDojo


async def setup(bot: PyDojo) -> None:
    await bot.add_cog(RemindersCog(bot))
    await bot.add_cog(TimeZoneCog(bot))
