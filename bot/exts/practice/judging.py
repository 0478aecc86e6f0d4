"""Judging what a learner sent, from the code modal or a chat message, and showing the verdict."""

from __future__ import annotations

import discord

from bot.codeblocks import unfence
from bot.services.catalog import ProblemRef
from bot.services.practice import Judged
from bot.services.source import check_source
from bot.ui import privacy
from bot.ui.answer import defer, progress, send
from bot.ui.context import services_of
from bot.ui.errors import CODE, code_file
from bot.ui.place import Location, locate_interaction
from bot.ui.queue_wait import position_text, while_queued
from runner import Status

from .render import verdict_embed
from .views import verdict_view


def verdict_of(client: object, judged: Judged, where: Location, *, private: bool) -> discord.Embed:
    services = services_of(client)
    seconds = judged.variant.spec.test_seconds or services.runner.limits.test_seconds
    return verdict_embed(
        judged,
        test_seconds=seconds,
        spoil=privacy.spoil_explanation(where, private),
        python_version=services.runner.python_version,
    )


async def judge_modal(interaction: discord.Interaction, ref: ProblemRef, code: str) -> None:
    """A submitted code modal, live or long forgotten: judged against the variant it named."""
    interaction.extras[CODE] = code  # any error hands the code back: nothing is lost
    code = unfence(code)  # a pasted ```py block: the code inside it
    services = services_of(interaction.client)
    where = await locate_interaction(services, interaction)
    private = privacy.answer_is_private(where)
    check_source(code)  # a bad paste is answered at once, before a public "thinking…"
    await defer(interaction, private=private)
    judged = await while_queued(
        services.practice.submit(interaction.user.id, code, ref, where.where),
        services.runner,
        interaction.user.id,
        lambda ahead: progress(interaction, position_text(ahead)),
    )
    # Not judged (the sandbox failed): the typed code comes back, as on any other error.
    unjudged = judged.verdict.status is Status.SANDBOX_ERROR
    await send(
        interaction,
        private=private,
        embed=verdict_of(interaction.client, judged, where, private=private),
        view=verdict_view(judged),
        file=code_file(interaction.extras[CODE]) if unjudged else None,
    )
