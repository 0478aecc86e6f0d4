"""What a press of a tutor button or /ask does, and fresh problems for /practice.

The buttons themselves (**Explain**, **Review**, **Tailored hint**) sit with the other problem
buttons in ``bot.exts.practice.views``, which passes the view to put under an answer: the
tutor's edge imports nothing of practice's buttons, so the two never import each other. The
tutor's answers are help, so they are seen as hints are (``privacy.help_is_private``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import discord

from bot.services.catalog import ProblemRef, find_module
from bot.services.practice import Offered, Where
from bot.services.tutor.service import TutorReply
from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.context import services_of
from bot.ui.place import Location, Place, locate_interaction
from curriculum import Difficulty

from .render import reply_message

FRESH = "A brand-new problem, written for you and proved in the sandbox before you saw it."
NO_FRESH = {
    "off": "Fresh problems need the AI tutor, which is off on this bot (its owner can switch "
    "it on with a Gemini API key, `GEMINI_API_KEY`): here is one from the course.",
    "none": "No fresh problem is ready for you here yet (new ones are being written and "
    "checked): here is one from the course.",
}


FEATURES = {"aihint": "hint", "explain": "explain", "review": "review"}
# The view under an answer, given it and whether Reveal is unlocked (practice's buttons).
AnswerView = Callable[[TutorReply, bool], discord.ui.View]


def _on_screen(where: Location) -> ProblemRef | None:
    return where.thread_problem if where.place is Place.OWN_THREAD else None


async def tutor_reply(
    interaction: discord.Interaction,
    action: str,
    ref: ProblemRef | None,
    *,
    view_for: AnswerView,
    question: str = "",
    where: Location | None = None,
) -> None:
    """Ask the tutor for ``action`` on ``ref`` (or the problem on screen) and show the answer."""
    services = services_of(interaction.client)
    where = where or await locate_interaction(services, interaction)
    ref = ref or _on_screen(where)
    private = privacy.help_is_private(where)
    await defer(interaction, private=private)
    tutor, user = services.tutor, interaction.user.id
    feature = FEATURES.get(action, action)
    if feature == "ask":
        reply = await tutor.ask(user, question, ref, where.where)
    else:
        reply = await getattr(tutor, feature)(user, ref, where.where)
    embed, file = reply_message(reply)
    view = view_for(reply, await services.sessions.can_reveal(user))
    await send(interaction, private=private, embed=embed, file=file, view=view)


async def fresh_offer(
    client: Any,
    user_id: int,
    where: Where,
    module: str | None,
    difficulty: Difficulty | None,
) -> Offered:
    """A verified new problem the learner has not seen, or a course problem saying why not."""
    services = services_of(client)
    module_id = find_module(services.curriculum, module).id if module else None
    found = None
    if services.tutor.enabled:
        found = await services.fresh.take(user_id, module_id, difficulty)
    if found is not None:
        offered = await services.practice.offer(user_id, where, problem=found.id)
        return dataclasses.replace(offered, reason=FRESH)
    offered = await services.practice.offer(user_id, where, module=module, difficulty=difficulty)
    why = NO_FRESH["none" if services.tutor.enabled else "off"]
    return dataclasses.replace(offered, reason=f"{why} {offered.reason}".strip())
