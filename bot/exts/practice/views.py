"""Buttons and the code modal. Custom ids carry the problem, so buttons on old messages keep
working after a restart (``DynamicItem`` re-creates them from the id)."""

from __future__ import annotations

import re
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

if TYPE_CHECKING:
    from .cog import PracticeCog

PROBLEM = r"(?P<pid>[a-z0-9-]{1,80}):(?P<seed>\d{1,10})"


async def guarded(interaction: discord.Interaction, action: Coroutine[Any, Any, None]) -> None:
    """Button and modal callbacks report errors kindly, like slash commands do."""
    from .cog import handle_app_error

    try:
        await action
    except Exception as exc:
        await handle_app_error(interaction, exc)


def _cog(interaction: discord.Interaction) -> PracticeCog:
    cog = interaction.client.get_cog("Practice")  # type: ignore[attr-defined]
    assert cog is not None
    return cog  # type: ignore[return-value]


class _ProblemButton:
    """A button acting on one problem variant; its custom id is ``pydojo:<action>:<id>:<seed>``."""

    action: ClassVar[str]
    label: ClassVar[str]
    emoji: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, problem_id: str, seed: int, enabled: bool = True) -> None:
        super().__init__(  # type: ignore[call-arg]  # DynamicItem, next in the MRO
            discord.ui.Button(
                label=self.label,
                style=self.style,
                emoji=self.emoji,
                disabled=not enabled,
                custom_id=f"pydojo:{self.action}:{problem_id}:{seed}",
            )
        )
        self.problem_id, self.seed = problem_id, seed

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["pid"], int(match["seed"]))


class SubmitButton(
    _ProblemButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:submit:{PROBLEM}",
):
    action, label, emoji, style = "submit", "Submit", "📝", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, _cog(interaction).open_modal(interaction, self.problem_id, self.seed)
        )


class HintButton(
    _ProblemButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:hint:{PROBLEM}",
):
    action, label, emoji = "hint", "Hint", "💡"

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, _cog(interaction).give_hint(interaction, (self.problem_id, self.seed))
        )


class RevealButton(
    _ProblemButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:reveal:{PROBLEM}",
):
    action, label, emoji = "reveal", "Reveal", "📖"

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, _cog(interaction).show_solution(interaction, (self.problem_id, self.seed))
        )


class NextButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pydojo:next:(?P<mode>practice|auto)"
):
    def __init__(self, mode: str) -> None:
        label = "Next" if mode == "practice" else "Next (auto)"
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.success,
                emoji="➡️",
                custom_id=f"pydojo:next:{mode}",
            )
        )
        self.mode = mode

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NextButton:
        return cls(match["mode"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, _cog(interaction).next_problem(interaction, auto=self.mode == "auto")
        )


DYNAMIC_ITEMS = (SubmitButton, HintButton, RevealButton, NextButton)


def problem_view(
    problem_id: str,
    seed: int,
    *,
    reveal: bool = False,
    next_mode: str | None = None,
    submit: bool = True,
) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if submit:
        view.add_item(SubmitButton(problem_id, seed))
    view.add_item(HintButton(problem_id, seed))
    view.add_item(RevealButton(problem_id, seed, enabled=reveal))
    if next_mode:
        view.add_item(NextButton(next_mode))
    return view


class CodeModal(discord.ui.Modal):
    """Paste code (up to 4000 characters) for a problem."""

    code: discord.ui.TextInput[CodeModal] = discord.ui.TextInput(
        label="Your solution",
        style=discord.TextStyle.paragraph,
        max_length=4000,
        placeholder="def solve(...):\n    ...",
    )

    def __init__(self, problem_id: str, seed: int, title: str, starter: str) -> None:
        super().__init__(
            title=title[:45], custom_id=f"pydojo:modal:{problem_id}:{seed}", timeout=900
        )
        self.problem_id, self.seed = problem_id, seed
        self.code.default = starter[:4000]

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction,
            _cog(interaction).judge_from_modal(
                interaction, self.problem_id, self.seed, self.code.value
            ),
        )
