"""/practice, /submit, /hint, /reveal, /skip, code modals and code-block messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.catalog import find_module, title_of
from bot.services.errors import NothingMatches, UnknownModule
from bot.ui.choices import CHOICES, module_choices
from bot.ui.commands import everywhere
from bot.ui.errors import guarded
from bot.ui.modals import submitted
from bot.ui.place import locate_interaction
from bot.ui.text import CHOICE_NAME_LIMIT, clip
from curriculum import Curriculum, Difficulty

from ..tutor.views import fresh_offer
from .ids import CODE_FIELD, CODE_MODAL, ref_of
from .judging import judge_modal
from .messages import CodeMessages
from .modal import open_code_modal
from .views import (
    begin_problem,
    give_hint,
    next_problem,
    on_screen,
    post_problem,
    show_solution,
)

if TYPE_CHECKING:
    from bot.app import PyDojo


class PracticeCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        self.messages = CodeMessages(bot)

    @app_commands.command(name="practice", description="Get a Python problem to solve")
    @app_commands.describe(
        module="Topic, e.g. Strings",
        difficulty="How hard (default: what fits your record)",
        problem="A specific problem",
        fresh="A brand-new problem written by the AI tutor and proved in the sandbox",
    )
    @everywhere
    async def practice(
        self,
        interaction: discord.Interaction,
        module: str | None = None,
        difficulty: Difficulty | None = None,
        problem: str | None = None,
        fresh: bool = False,
    ) -> None:
        flow = self.services.practice
        flow.check_choice(module=module, difficulty=difficulty, problem=problem)
        if difficulty is None and problem is None and interaction.guild is not None:
            difficulty = await self._server_difficulty(interaction.guild.id, module)
        where = await begin_problem(interaction)
        if fresh and not problem:
            offered = await fresh_offer(
                self.bot, interaction.user.id, where.where, module, difficulty
            )
        else:
            offered = await flow.offer(
                interaction.user.id,
                where.where,
                module=module,
                difficulty=difficulty,
                problem=problem,
            )
        await post_problem(interaction, offered, where)

    async def _server_difficulty(self, guild_id: int, module: str | None) -> Difficulty | None:
        """The server's default difficulty, where the chosen module has problems at it."""
        default = (await self.services.servers.get(guild_id)).default_difficulty
        if default is None:
            return None
        try:
            self.services.practice.check_choice(module=module, difficulty=default)
        except NothingMatches:
            return None  # the module has none at that level: what fits the learner instead
        return default

    @practice.autocomplete("module")
    async def module_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return module_choices(self.services.curriculum, current)

    @practice.autocomplete("problem")
    async def problem_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return problem_choices(
            self.services.curriculum, current, getattr(interaction.namespace, "module", None)
        )

    @app_commands.command(name="submit", description="Paste code for your current problem")
    @everywhere
    async def submit(self, interaction: discord.Interaction) -> None:
        where = await locate_interaction(self.services, interaction)
        ref = on_screen(where) or await self.services.practice.current_ref(interaction.user.id)
        await open_code_modal(interaction, ref)

    @app_commands.command(name="hint", description="A hint for your current problem")
    @everywhere
    async def hint(self, interaction: discord.Interaction) -> None:
        await give_hint(interaction, None)

    @app_commands.command(name="reveal", description="The reference solution (after honest tries)")
    @everywhere
    async def reveal(self, interaction: discord.Interaction) -> None:
        await show_solution(interaction, None)

    @app_commands.command(name="skip", description="Swap your current problem for another")
    @everywhere
    async def skip(self, interaction: discord.Interaction) -> None:
        await next_problem(interaction, auto=None)

    # -- events ----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Code modal submits, live or opened before a restart (see ``bot.ui.modals``)."""
        found = submitted(interaction)
        match = CODE_MODAL.fullmatch(found[0]) if found else None
        if found is None or match is None:
            return
        code = found[1].get(CODE_FIELD, "")
        await guarded(interaction, judge_modal(interaction, ref_of(match), code))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.messages.on_message(message)

    @commands.Cog.listener()
    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        await self.messages.on_edit(before, after)


def problem_choices(
    curriculum: Curriculum, typed: str, module: str | None
) -> list[app_commands.Choice[str]]:
    """Autocomplete entries: each problem's title as learners see it, with its difficulty."""
    try:
        module_id = find_module(curriculum, module).id if module else None
    except UnknownModule:
        module_id = None
    text = typed.casefold()
    found = []
    for problem in curriculum.problems.values():
        if module_id and problem.module != module_id:
            continue
        title = title_of(problem)
        if text in problem.id or text in title.casefold():
            name = clip(f"{title} ({problem.difficulty.value})", CHOICE_NAME_LIMIT)
            found.append(app_commands.Choice(name=name, value=problem.id))
        if len(found) == CHOICES:
            break
    return found
