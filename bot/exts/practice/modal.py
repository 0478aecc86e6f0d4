"""The code modal: the problem's starter prefilled, titled with the variant's own title."""

from __future__ import annotations

import discord

from bot.services.catalog import ProblemRef
from bot.services.errors import ProblemGone
from bot.ui.context import services_of
from bot.ui.modals import open_modal, opening_id
from bot.ui.text import TEXT_INPUT_LIMIT
from curriculum import variant_text

from .ids import CODE_FIELD, code_modal_id
from .render import modal_title


class CodeModal(discord.ui.Modal):
    """Paste code (up to 4000 characters). Submits are handled from the custom id alone."""

    def __init__(self, custom_id: str, title: str, starter: str) -> None:
        super().__init__(title=title, custom_id=custom_id)
        self.add_item(
            discord.ui.TextInput(
                label="Your solution",
                style=discord.TextStyle.paragraph,
                custom_id=CODE_FIELD,
                max_length=TEXT_INPUT_LIMIT,
                default=starter[:TEXT_INPUT_LIMIT] or None,
                placeholder="def solve(...):\n    ...",
            )
        )


def code_modal(ref: ProblemRef, opening: str, title: str, starter: str) -> CodeModal:
    return CodeModal(code_modal_id(ref, opening), modal_title(title), starter.strip())


async def open_code_modal(interaction: discord.Interaction, ref: ProblemRef) -> None:
    """Must be the first response, so nothing slow happens before it: the texts are filled
    from the variant's parameters without building its tests."""
    problem = services_of(interaction.client).curriculum.get(ref.problem_id)
    if problem is None:
        raise ProblemGone(ref.problem_id)
    text = variant_text(problem, ref.seed)
    await open_modal(
        interaction, code_modal(ref, opening_id(interaction), text.title, text.starter)
    )
