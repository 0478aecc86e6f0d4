"""``/review`` serves the review due longest, posted like any problem (see practice's views),
with why it is back; with none due, it says when the next one comes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.practice.views import begin_problem, post_problem
from bot.services.catalog import title_of
from bot.services.practice import Offered
from bot.ui import privacy
from bot.ui.answer import send
from bot.ui.commands import everywhere

if TYPE_CHECKING:
    from bot.app import PyDojo

HOW_REVIEWS_WORK = (
    "Problems whose solution you needed, that took every hint, or that you failed twice come "
    "back here after 1 day; solve them on your own and they return after 3, then 7 days."
)


class ReviewCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="review", description="Another try at a problem you struggled with")
    @everywhere
    async def review(self, interaction: discord.Interaction) -> None:
        services = self.services
        user_id = interaction.user.id
        due = await services.reviews.next_due(user_id)
        if due is None:
            upcoming = await services.reviews.upcoming(user_id)
            problem = services.curriculum.get(upcoming.problem_id) if upcoming else None
            if upcoming is not None and problem is not None:
                text = (
                    f"No review is due. The next, **{title_of(problem)}**, comes back "
                    f"<t:{int(upcoming.due_at.timestamp())}:R>."
                )
            else:
                text = f"Nothing to review yet. {HOW_REVIEWS_WORK}"
            await send(interaction, private=privacy.PERSONAL, content=text)
            return
        where = await begin_problem(interaction)
        offered = await services.practice.offer(user_id, where.where, problem=due.problem_id)
        await services.reviews.begin(user_id, due.problem_id)
        reason = due.why(services.clock())
        more = await services.reviews.count_due(user_id) - 1
        if more > 0:
            reason += f" · {more} more due"
        await post_problem(interaction, Offered(offered.problem, offered.variant, reason), where)
