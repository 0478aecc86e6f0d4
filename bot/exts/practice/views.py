"""A problem on screen: where it is posted, the buttons under it, and what each press does.

The AI tutor's buttons are here too (Explain under a failed verdict, Review under an accepted
one, Tailored hint under hints); ``bot.exts.tutor.views`` answers their presses. Buttons are
``DynamicItem``s whose custom id names the variant they act on, so they work on old
messages and after restarts. Next, ``/skip`` and auto mode's Next all post the new problem the
same way: in a DM, into the DM; in the learner's own thread, into that thread (which then stands
for the new problem); anywhere else in a server, into the learner's own thread.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

import discord

from bot.exts.learn.views import ReadFirstButton
from bot.services.catalog import ProblemRef
from bot.services.errors import AlreadySolved
from bot.services.practice import Judged, Offered
from bot.services.tutor.service import TutorReply
from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.context import services_of
from bot.ui.errors import guarded
from bot.ui.place import Location, Place, locate_interaction
from bot.ui.text import NO_MENTIONS

from ..tutor.views import tutor_reply
from .ids import PROBLEM, problem_id_part, ref_of
from .modal import open_code_modal
from .render import hint_embed, problem_embed, solution_message
from .threads import learner_thread


class _ProblemButton:
    """A button acting on one variant; its custom id is ``pydojo:<action>:<id>:<seed>``."""

    action: ClassVar[str]
    label: ClassVar[str]
    emoji: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, ref: ProblemRef, enabled: bool = True) -> None:
        super().__init__(  # type: ignore[call-arg]  # DynamicItem, next in the MRO
            discord.ui.Button(
                label=self.label,
                style=self.style,
                emoji=self.emoji,
                disabled=not enabled,
                custom_id=f"pydojo:{self.action}:{problem_id_part(ref)}",
            )
        )
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(ref_of(match))


class SubmitButton(
    _ProblemButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:submit:{PROBLEM}",
):
    action, label, emoji, style = "submit", "Submit", "📝", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, open_code_modal(interaction, self.ref))


class HintButton(
    _ProblemButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:hint:{PROBLEM}",
):
    action, label, emoji = "hint", "Hint", "💡"

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, give_hint(interaction, self.ref))


class RevealButton(
    _ProblemButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:reveal:{PROBLEM}",
):
    action, label, emoji = "reveal", "Reveal", "📖"

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, show_solution(interaction, self.ref))


class NextButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pydojo:next:(?P<mode>practice|auto)"
):
    def __init__(self, mode: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Next" if mode == "practice" else "Next (auto)",
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
        await guarded(interaction, next_problem(interaction, auto=self.mode == "auto"))


class _TutorButton(_ProblemButton):
    """The AI tutor's buttons (``bot.exts.tutor.views`` does what a press asks)."""

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, tutor_reply(interaction, self.action, self.ref, view_for=answer_view)
        )


class ExplainButton(
    _TutorButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:explain:{PROBLEM}",
):
    action, label, emoji = "explain", "Explain", "🔎"


class ReviewButton(
    _TutorButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:review:{PROBLEM}",
):
    action, label, emoji = "review", "Review", "🧐"


class TailoredHintButton(
    _TutorButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"pydojo:aihint:{PROBLEM}",
):
    action, label, emoji = "aihint", "Tailored hint", "🤖"


DYNAMIC_ITEMS = (
    SubmitButton,
    HintButton,
    RevealButton,
    NextButton,
    ExplainButton,
    ReviewButton,
    TailoredHintButton,
)


def problem_view(
    ref: ProblemRef,
    *,
    reveal: bool = False,
    next_mode: str | None = None,
    submit: bool = True,
    read_first: str | None = None,
) -> discord.ui.View:
    """``read_first``: a module id, when this is the learner's first problem of it."""
    view = discord.ui.View(timeout=None)
    if submit:
        view.add_item(SubmitButton(ref))
    view.add_item(HintButton(ref))
    view.add_item(RevealButton(ref, enabled=reveal))
    if next_mode:
        view.add_item(NextButton(next_mode))
    if read_first:
        view.add_item(ReadFirstButton(read_first))
    return view


def verdict_view(judged: Judged) -> discord.ui.View:
    """Explain under a failed verdict, Review under an accepted one."""
    auto = judged.recorded is not None and judged.recorded.auto is not None
    view = problem_view(
        judged.ref,
        reveal=judged.reveal_allowed,
        next_mode="auto" if auto else "practice",
        submit=not judged.verdict.accepted,
    )
    if judged.verdict.accepted:
        view.add_item(ReviewButton(judged.ref))
    elif judged.verdict.status.blames_user:
        view.add_item(ExplainButton(judged.ref))
    return view


def answer_view(reply: TutorReply, reveal: bool) -> discord.ui.View:
    """Under a tutor's answer: Next after a review, else the problem's buttons (and another
    Tailored hint after a hint)."""
    if reply.feature == "review":
        view = discord.ui.View(timeout=None)
        view.add_item(NextButton("practice"))
        return view
    view = problem_view(reply.ref, reveal=reveal, submit=not reply.situation.solved)
    if reply.feature == "hint":
        view.add_item(TailoredHintButton(reply.ref))
    return view


def on_screen(where: Location) -> ProblemRef | None:
    """In the learner's own thread, the problem it shows; elsewhere None (the current one)."""
    return where.thread_problem if where.place is Place.OWN_THREAD else None


# -- posting a problem ---------------------------------------------------------------------------


async def begin_problem(interaction: discord.Interaction) -> Location:
    """Where the learner is, with the interaction deferred as its answer will be seen."""
    where = await locate_interaction(services_of(interaction.client), interaction)
    await defer(interaction, private=privacy.problem_goes_to_own_thread(where))
    return where


async def post_problem(interaction: discord.Interaction, offered: Offered, where: Location) -> None:
    """Post a problem where ``where`` says it belongs (see the module's docstring)."""
    services = services_of(interaction.client)
    view = problem_view(
        offered.ref, read_first=offered.problem.module if offered.new_to_module else None
    )
    if privacy.problem_goes_to_own_thread(where):
        thread = await learner_thread(interaction)
        if thread is not None:
            how = privacy.how_to_answer(
                Place.OWN_THREAD, reads_code=where.reads_code, private=where.verdicts_private
            )
            embed = problem_embed(offered, services.curriculum, how)
            await thread.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
            await services.sessions.show_in_thread(
                interaction.user.id, thread.id, where.guild_id, offered.ref
            )
            await send(
                interaction,
                private=privacy.PERSONAL,
                content=f"**{offered.variant.title}** is waiting in {thread.mention}.",
            )
            return
    how = privacy.how_to_answer(
        where.place, reads_code=where.reads_code, private=where.verdicts_private
    )
    embed = problem_embed(offered, services.curriculum, how)
    await send(interaction, private=privacy.POSTED, embed=embed, view=view)


async def next_problem(interaction: discord.Interaction, *, auto: bool | None) -> None:
    """Next (practice or auto) and ``/skip`` (``auto=None``: whichever mode is running)."""
    where = await begin_problem(interaction)
    offered = await services_of(interaction.client).practice.next_problem(
        interaction.user.id, where.where, auto=auto
    )
    await post_problem(interaction, offered, where)


# -- hints and the solution ------------------------------------------------------------------------


async def give_hint(interaction: discord.Interaction, ref: ProblemRef | None) -> None:
    """For a button's problem, or (``None``) the one on screen: the own thread's, or else the
    current one."""
    services = services_of(interaction.client)
    where = await locate_interaction(services, interaction)
    ref = ref or on_screen(where)
    private = privacy.help_is_private(where)
    await defer(interaction, private=private)
    hinted = await services.practice.hint(interaction.user.id, ref, where.where)
    shown = ProblemRef(hinted.problem.id, hinted.variant.seed)
    if not hinted.hints.new and services.tutor.enabled:  # the curated hints are all out
        try:
            await tutor_reply(interaction, "aihint", shown, where=where, view_for=answer_view)
            return
        except AlreadySolved:
            pass  # solved already: the curated hints again, as without the tutor
    view = problem_view(shown, reveal=hinted.reveal_allowed)
    view.add_item(TailoredHintButton(shown))
    await send(interaction, private=private, embed=hint_embed(hinted), view=view)


async def show_solution(interaction: discord.Interaction, ref: ProblemRef | None) -> None:
    """For a button's problem, or (``None``) the one on screen: the own thread's, or else the
    current one."""
    services = services_of(interaction.client)
    where = await locate_interaction(services, interaction)
    ref = ref or on_screen(where)
    private = privacy.help_is_private(where)
    await defer(interaction, private=private)
    _, variant, _ = await services.practice.reveal(interaction.user.id, ref, where.where)
    embed, file = solution_message(variant)
    await send(interaction, private=private, embed=embed, file=file)
