"""``/run`` opens a modal for code and optional stdin; its submit is handled from the custom id
alone, so code typed across a restart still runs (``bot.ui.modals``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.source import check_source
from bot.ui import privacy
from bot.ui.answer import defer, progress, send
from bot.ui.commands import everywhere
from bot.ui.context import services_of
from bot.ui.errors import CODE, code_file, guarded
from bot.ui.modals import open_modal, opening_id, submitted
from bot.ui.place import locate_interaction
from bot.ui.queue_wait import position_text, while_queued
from bot.ui.text import TEXT_INPUT_LIMIT
from runner import RunStatus
from runner.image import PYTHONS

from .render import run_message

if TYPE_CHECKING:
    from bot.app import PyDojo

RUN_MODAL = re.compile(r"pydojo:run:(?P<opening>[0-9a-z]{1,16})(?::(?P<python>3\.\d{1,2}))?")
VERSIONS = [app_commands.Choice(name=f"Python {p}", value=p) for p in PYTHONS]


class RunModal(discord.ui.Modal):
    def __init__(self, custom_id: str) -> None:
        super().__init__(title="Run Python", custom_id=custom_id)
        self.add_item(
            discord.ui.TextInput(
                label="Code",
                style=discord.TextStyle.paragraph,
                custom_id="code",
                max_length=TEXT_INPUT_LIMIT,
                placeholder="print('hello')",
            )
        )
        self.add_item(
            discord.ui.TextInput(
                label="Input (stdin, optional)",
                style=discord.TextStyle.paragraph,
                custom_id="stdin",
                required=False,
                max_length=TEXT_INPUT_LIMIT,
            )
        )


async def execute(
    interaction: discord.Interaction, code: str, stdin: str, python: str | None = None
) -> None:
    interaction.extras[CODE] = code  # handed back if anything fails
    services = services_of(interaction.client)
    check_source(code)
    where = await locate_interaction(services, interaction)
    private = privacy.run_output_is_private(where)
    await defer(interaction, private=private)
    result = await while_queued(
        services.practice.run(interaction.user.id, code, stdin, python=python),
        services.runner,
        interaction.user.id,
        lambda ahead: progress(interaction, position_text(ahead)),
    )
    content, file = run_message(result)
    if result.status is RunStatus.SANDBOX_ERROR:  # nothing ran: the code comes back
        content += "\nHere is the code you sent, so nothing is lost."
        file = code_file(code)
    await send(interaction, private=private, content=content, file=file)


class RunCog(commands.Cog):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot

    @app_commands.command(name="run", description="Run Python code in the sandbox")
    @app_commands.describe(version="Which Python runs it (default: the one that judges)")
    @app_commands.choices(version=VERSIONS)
    @everywhere
    async def run(
        self, interaction: discord.Interaction, version: app_commands.Choice[str] | None = None
    ) -> None:
        custom_id = f"pydojo:run:{opening_id(interaction)}"
        if version is not None:
            custom_id += f":{version.value}"
        await open_modal(interaction, RunModal(custom_id))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        found = submitted(interaction)
        match = RUN_MODAL.fullmatch(found[0]) if found is not None else None
        if found is None or match is None:
            return
        values = found[1]
        python = match["python"] if match["python"] in PYTHONS else None
        await guarded(
            interaction,
            execute(interaction, values.get("code", ""), values.get("stdin", ""), python),
        )
