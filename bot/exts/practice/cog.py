"""Practice by slash command, button, modal and code block. Logic lives in the services."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.codeblocks import extract_code
from bot.services.automode import NoActiveRun, SkipNotAllowed
from bot.services.practice import MAX_SOURCE_BYTES, Judged, Offered, PracticeError
from bot.services.sessions import NoCurrentProblem, RevealRefused
from curriculum import Difficulty

from .views import CodeModal, problem_view

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)
EDIT_WINDOW = 60.0  # seconds during which editing a message re-judges it
FRIENDLY = (PracticeError, NoCurrentProblem, RevealRefused, SkipNotAllowed, NoActiveRun)
EVERYWHERE = {"guilds": True, "dms": True, "private_channels": True}


def where(place: discord.Interaction | discord.Message) -> tuple[str, int | None, int | None]:
    """(context, guild id, channel id) of an interaction or message."""
    channel = place.channel
    guild_id = place.guild.id if place.guild else None
    if guild_id is None:
        context = "dm"
    elif isinstance(channel, discord.Thread):
        context = "thread"
    else:
        context = "guild"
    return context, guild_id, channel.id if channel else None


async def reply(
    interaction: discord.Interaction, *, ephemeral: bool = False, **kwargs: Any
) -> None:
    """Answer, or follow up if the interaction was already answered or deferred."""
    kwargs.setdefault("allowed_mentions", render.NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


class PracticeCog(commands.Cog, name="Practice"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        self.flow = bot.services.practice
        # message id -> (author id, when judged, the verdict reply), for re-judging on edit
        self._judged: dict[int, tuple[int, float, discord.Message]] = {}

    # -- posting problems ----------------------------------------------------------------------

    async def post_problem(
        self, interaction: discord.Interaction, offered: Offered, *, next_mode: str = "practice"
    ) -> None:
        """Post a problem: in a new thread in server text channels (if enabled), else here."""
        embed = render.problem_embed(offered, self.services.curriculum)
        view = problem_view(offered.problem.id, offered.variant.seed)
        channel = interaction.channel
        if interaction.guild is not None and isinstance(channel, discord.TextChannel):
            guild = await self.services.users.guild(interaction.guild.id)
            if guild.practice_threads:
                thread = await self._open_thread(interaction, channel, offered)
                if thread is not None:
                    await thread.send(embed=embed, view=view, allowed_mentions=render.NO_MENTIONS)
                    await reply(
                        interaction, content=f"Your problem is waiting in {thread.mention}."
                    )
                    return
        await reply(interaction, embed=embed, view=view)

    async def _open_thread(
        self, interaction: discord.Interaction, channel: discord.TextChannel, offered: Offered
    ) -> discord.Thread | None:
        name = f"{interaction.user.display_name} · {offered.variant.title}"[:100]
        try:
            thread = await channel.create_thread(
                name=name, type=discord.ChannelType.public_thread, auto_archive_duration=1440
            )
            await thread.add_user(interaction.user)
        except discord.HTTPException as exc:
            log.info("could not open a practice thread in %s: %s", channel.id, exc)
            return None
        await self.services.sessions.set_thread(
            interaction.user.id, thread.id, interaction.guild.id if interaction.guild else None
        )
        return thread

    # -- slash commands ------------------------------------------------------------------------

    @app_commands.command(name="practice", description="Get a Python problem to solve")
    @app_commands.describe(
        module="Topic, e.g. strings", difficulty="How hard", problem="A specific problem id"
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def practice(
        self,
        interaction: discord.Interaction,
        module: str | None = None,
        difficulty: Difficulty | None = None,
        problem: str | None = None,
    ) -> None:
        await interaction.response.defer(thinking=True)
        context, guild_id, channel_id = where(interaction)
        offered = await self.flow.offer(
            interaction.user.id,
            module=module,
            difficulty=difficulty,
            problem_id=problem,
            context=context,
            guild_id=guild_id,
            channel_id=channel_id,
        )
        await self.post_problem(interaction, offered)

    @practice.autocomplete("module")
    async def module_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        text = current.lower()
        return [
            app_commands.Choice(name=m.title, value=m.id)
            for m in self.services.curriculum.modules.values()
            if text in m.id or text in m.title.lower()
        ][:25]

    @practice.autocomplete("problem")
    async def problem_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        text = current.lower()
        module = getattr(interaction.namespace, "module", None)
        found = [
            p
            for p in self.services.curriculum.problems.values()
            if (not module or p.module == module) and (text in p.id or text in p.title.lower())
        ]
        return [
            app_commands.Choice(name=f"{p.title} ({p.difficulty.value})"[:100], value=p.id)
            for p in found[:25]
        ]

    @app_commands.command(name="submit", description="Paste code for your current problem")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def submit(self, interaction: discord.Interaction) -> None:
        session = await self.services.sessions.current(interaction.user.id)
        if session is None:
            await reply(
                interaction,
                ephemeral=True,
                content="You have no current problem: start one with /practice.",
            )
            return
        await self.open_modal(interaction, session.problem_id, session.variant_seed)

    @app_commands.command(name="hint", description="A hint for your current problem")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def hint(self, interaction: discord.Interaction) -> None:
        await self.give_hint(interaction, None)

    @app_commands.command(name="reveal", description="The reference solution (after honest tries)")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def reveal(self, interaction: discord.Interaction) -> None:
        await self.show_solution(interaction, None)

    @app_commands.command(name="skip", description="Swap your current problem for another")
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def skip(self, interaction: discord.Interaction) -> None:
        await self.next_problem(interaction, auto=None)

    # -- actions shared by commands and buttons ------------------------------------------------

    async def open_modal(
        self, interaction: discord.Interaction, problem_id: str, seed: int
    ) -> None:
        problem = self.services.curriculum.get(problem_id)
        if problem is None:
            await reply(
                interaction,
                ephemeral=True,
                content="That problem is no longer in the course; start a new one with /practice.",
            )
            return
        # A modal must be the first response, so nothing slow may happen before it.
        await interaction.response.send_modal(
            CodeModal(problem_id, seed, f"Submit: {problem.title}", problem.starter.strip())
        )

    async def judge_from_modal(
        self, interaction: discord.Interaction, problem_id: str, seed: int, code: str
    ) -> None:
        await interaction.response.defer(thinking=True)
        await self._switch(interaction, problem_id, seed)
        context, guild_id, channel_id = where(interaction)
        judged = await self.flow.submit(
            interaction.user.id, code, context=context, guild_id=guild_id, channel_id=channel_id
        )
        embed, view = self.verdict_message(judged, interaction.user.id)
        await interaction.followup.send(embed=embed, view=view, allowed_mentions=render.NO_MENTIONS)

    async def give_hint(
        self, interaction: discord.Interaction, problem: tuple[str, int] | None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        if problem is not None:
            await self._switch(interaction, *problem)
        found, variant, hint = await self.flow.hint(interaction.user.id)
        allowed = await self.services.sessions.can_reveal(interaction.user.id)
        await interaction.followup.send(
            embed=render.hint_embed(found, variant, hint.level),
            ephemeral=True,
            view=problem_view(found.id, variant.seed, reveal=allowed, submit=False),
        )

    async def show_solution(
        self, interaction: discord.Interaction, problem: tuple[str, int] | None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        if problem is not None:
            await self._switch(interaction, *problem)
        found, variant = await self.flow.reveal(interaction.user.id)
        await interaction.followup.send(
            embed=render.solution_embed(found, variant),
            ephemeral=True,
            allowed_mentions=render.NO_MENTIONS,
        )

    async def next_problem(self, interaction: discord.Interaction, *, auto: bool | None) -> None:
        """Next button (auto or practice) and /skip (auto=None: whichever mode is running)."""
        await interaction.response.defer(thinking=True)
        user_id = interaction.user.id
        session = await self.services.sessions.current(user_id)
        in_auto = session is not None and session.auto_run_id is not None
        if auto or (auto is None and in_auto and await self.services.automode.status(user_id)):
            pick = await (
                self.services.automode.skip(user_id)
                if auto is None
                else self.services.automode.next(user_id)
            )
            await self.post_problem(interaction, await self.flow.offer_auto(pick))
            return
        context, guild_id, channel_id = where(interaction)
        current = self.services.curriculum.get(session.problem_id) if session else None
        offered = await self.flow.offer(
            user_id,
            module=current.module if current else None,
            difficulty=current.difficulty if current else None,
            context=context,
            guild_id=guild_id,
            channel_id=channel_id,
        )
        await self.post_problem(interaction, offered)

    async def _switch(self, interaction: discord.Interaction, problem_id: str, seed: int) -> None:
        context, guild_id, channel_id = where(interaction)
        await self.flow.ensure_current(
            interaction.user.id,
            problem_id,
            seed,
            context=context,
            guild_id=guild_id,
            channel_id=channel_id,
        )

    def verdict_message(
        self, judged: Judged, user_id: int
    ) -> tuple[discord.Embed, discord.ui.View]:
        embed = render.verdict_embed(judged, self.services.runner.python_version)
        auto = judged.recorded is not None and judged.recorded.auto is not None
        view = problem_view(
            judged.problem.id,
            judged.variant.seed,
            reveal=judged.reveal_allowed,
            next_mode="auto" if auto else "practice",
            submit=not judged.verdict.accepted,
        )
        return embed, view

    # -- code blocks in messages ---------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        await self._judge_message(message, None)

    @commands.Cog.listener()
    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        known = self._judged.get(after.id)
        if known is None or after.author.bot or before.content == after.content:
            return
        _, judged_at, verdict_reply = known
        if time.monotonic() - judged_at > EDIT_WINDOW:
            self._judged.pop(after.id, None)
            return
        await self._judge_message(after, verdict_reply)

    async def _judge_message(
        self, message: discord.Message, previous: discord.Message | None
    ) -> None:
        user = self.bot.user
        in_dm = message.guild is None
        mentioned = user is not None and user in message.mentions
        thread_problem = None
        if isinstance(message.channel, discord.Thread):
            thread_problem = await self.services.sessions.thread_problem(message.channel.id)
        if not (in_dm or mentioned or thread_problem is not None):
            return
        try:
            source = await self._source_of(message)
        except PracticeError as exc:
            await message.reply(str(exc), mention_author=False, allowed_mentions=render.NO_MENTIONS)
            return
        if source is None:
            found = extract_code(message.content)
            if found.nudge:
                await message.reply(
                    found.nudge, mention_author=False, allowed_mentions=render.NO_MENTIONS
                )
            return
        context, guild_id, channel_id = where(message)
        try:
            if thread_problem is not None:
                await self.flow.ensure_current(
                    message.author.id,
                    thread_problem.problem_id,
                    thread_problem.variant_seed,
                    context=context,
                    guild_id=guild_id,
                    channel_id=channel_id,
                )
            async with message.channel.typing():
                judged = await self.flow.submit(
                    message.author.id,
                    source,
                    context=context,
                    guild_id=guild_id,
                    channel_id=channel_id,
                )
        except FRIENDLY as exc:
            await message.reply(str(exc), mention_author=False, allowed_mentions=render.NO_MENTIONS)
            return
        embed, view = self.verdict_message(judged, message.author.id)
        if previous is not None:
            try:
                await previous.edit(content="(re-judged after your edit)", embed=embed, view=view)
                self._judged[message.id] = (message.author.id, time.monotonic(), previous)
                return
            except discord.HTTPException:
                pass
        sent = await message.reply(
            embed=embed, view=view, mention_author=False, allowed_mentions=render.NO_MENTIONS
        )
        self._remember(message.id, message.author.id, sent)

    def _remember(self, message_id: int, author_id: int, sent: discord.Message) -> None:
        now = time.monotonic()
        self._judged[message_id] = (author_id, now, sent)
        for key, (_, when, _) in list(self._judged.items()):
            if now - when > EDIT_WINDOW:
                del self._judged[key]

    async def _source_of(self, message: discord.Message) -> str | bytes | None:
        for attachment in message.attachments:
            if attachment.filename.lower().endswith(".py"):
                if attachment.size > MAX_SOURCE_BYTES:
                    raise PracticeError(
                        f"`{attachment.filename}` is {attachment.size // 1024} KiB; the limit is "
                        f"{MAX_SOURCE_BYTES // 1024} KiB."
                    )
                return await attachment.read()
        return extract_code(message.content).code

    # -- errors --------------------------------------------------------------------------------

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await handle_app_error(interaction, error)


async def handle_app_error(interaction: discord.Interaction, error: Exception) -> None:
    cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(cause, FRIENDLY):
        text = str(cause)
    else:
        log.exception("command failed", exc_info=cause)
        text = "Something went wrong on my side; please try again."
    try:
        await reply(interaction, ephemeral=True, content=text)
    except discord.HTTPException:
        log.warning("could not report an error to the user")
