"""The daily post and its scheduler; ``/daily today|submit`` for everyone and
``/daily setup|disable|now`` for the server's managers.

Answers go through **Submit** (private, ``bot.ui.privacy``) or the post's thread, where code is
judged and then hidden; the post's buttons name the day's exact variant. One scheduler task
serves every server: it asks ``DailyService.plan`` what is due, posts those (a few at a time),
and sleeps until the next slot of any server (at most a minute, so new settings are seen).
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.practice.modal import open_code_modal
from bot.exts.practice.render import problem_embed
from bot.exts.practice.views import problem_view
from bot.services.cards import daily_results_rows
from bot.services.catalog import ProblemRef
from bot.services.daily import Slot
from bot.services.errors import NoDailyChannel
from bot.services.leaderboard import DailyEntry
from bot.services.practice import Offered, Where
from bot.services.server_settings import ServerSettings
from bot.ui import privacy
from bot.ui.answer import defer, send
from bot.ui.commands import ensure_manager
from bot.ui.errors import DailyUnavailable
from bot.ui.names import display_names
from bot.ui.place import Place, locate_interaction
from bot.ui.text import THREAD_NAME_LIMIT, clip, duration
from curriculum import variant_text

from .render import SHOWN as RESULTS_SHOWN
from .render import post_content, results_embed

if TYPE_CHECKING:
    from bot.app import PyDojo
    from bot.db.models import DailyChallenge

log = logging.getLogger(__name__)
RESULTS_CARD = "daily-results.png"
DAILY_REASON = "today's daily challenge"
MAX_SLEEP = 60.0  # seconds: the scheduler looks again at least this often
POSTS_AT_ONCE = 8  # servers posted concurrently when many share a slot
RETRY_AFTER = timedelta(minutes=15)  # after a server's post failed for certain
HISTORY_LOOKBACK = 25  # messages searched for a post that may have been sent before a crash
DIFFICULTIES = [
    app_commands.Choice(name="weekly rotation", value="rotation"),
    app_commands.Choice(name="beginner", value="beginner"),
    app_commands.Choice(name="intermediate", value="intermediate"),
    app_commands.Choice(name="advanced", value="advanced"),
]


def post_nonce(guild_id: int, day: date) -> str:
    """The same for every attempt at one server's day: Discord drops a repeat sent soon after
    (at most 25 characters)."""
    return f"{day:%y%m%d}{guild_id}"[:25]


class DailyCog(commands.GroupCog, group_name="daily", group_description="Daily challenge"):
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self.services = bot.services
        self._scheduler: asyncio.Task[None] | None = None
        self._missed: set[tuple[int, date]] = set()  # reported once each
        self._failed: dict[int, datetime] = {}  # guild -> when its post last failed
        super().__init__()

    async def cog_load(self) -> None:
        self._scheduler = asyncio.create_task(self._schedule(), name="pydojo-daily-scheduler")

    async def cog_unload(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()

    # -- commands for everyone ------------------------------------------------------------

    async def _current(self, guild_id: int) -> tuple[DailyChallenge, Offered]:
        challenge = await self.services.daily.current(guild_id)
        problem = self.services.curriculum.get(challenge.problem_id)
        if problem is None:
            raise DailyUnavailable()
        variant = await self.services.practice.variants.get(problem, challenge.variant_seed)
        return challenge, Offered(problem, variant, DAILY_REASON)

    @app_commands.command(name="today", description="Today's challenge in this server")
    @app_commands.guild_only()
    async def today(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await defer(interaction, private=privacy.PERSONAL)
        _, offered = await self._current(interaction.guild.id)
        where = await locate_interaction(self.services, interaction)
        # Shown privately, so a practice thread does not move to it: only the learner sees it.
        plain = Where(where.where.context, where.guild_id, where.channel_id)
        await self.services.practice.ensure_current(interaction.user.id, offered.ref, plain)
        embed = problem_embed(
            offered, self.services.curriculum, privacy.how_to_answer(Place.CHANNEL, daily_post=True)
        )
        when = await self.services.daily.next_post_at(interaction.guild.id)
        await send(
            interaction,
            private=privacy.PERSONAL,
            content=f"Next one <t:{int(when.timestamp())}:R>.",
            embed=embed,
            view=problem_view(offered.ref),
        )

    @app_commands.command(name="submit", description="Answer today's challenge privately")
    @app_commands.guild_only()
    async def submit(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        challenge = await self.services.daily.current(interaction.guild.id)
        await open_code_modal(interaction, ProblemRef(challenge.problem_id, challenge.variant_seed))

    # -- commands for managers ------------------------------------------------------------

    @app_commands.command(name="setup", description="Managers: post a daily challenge")
    @app_commands.describe(
        channel="Where to post",
        time="Local time HH:MM (default: unchanged, first 09:00)",
        time_zone="IANA name, e.g. Europe/Berlin (default: unchanged, first UTC)",
        role="Role to ping with each post (default: none)",
        difficulty="How hard (default: unchanged, first a weekly rotation)",
    )
    @app_commands.choices(difficulty=DIFFICULTIES)
    @app_commands.guild_only()
    async def setup(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str | None = None,
        time_zone: str | None = None,
        role: discord.Role | None = None,
        difficulty: str | None = None,
    ) -> None:
        ensure_manager(interaction)
        assert interaction.guild is not None
        changes: dict[str, object] = {
            "daily_channel_id": channel.id,
            "daily_role_id": role.id if role else None,
            "daily_enabled": True,
        }
        if time is not None:
            changes["daily_time"] = time
        if time_zone is not None:
            changes["time_zone"] = time_zone
        if difficulty is not None:
            changes["daily_difficulty"] = None if difficulty == "rotation" else difficulty
        settings = await self.services.servers.update(interaction.guild.id, **changes)
        when = await self.services.daily.next_post_at(interaction.guild.id)
        ping = f", pinging {role.mention}" if role else ""
        await send(
            interaction,
            private=privacy.PERSONAL,
            content=f"Daily challenges will appear in {channel.mention} at "
            f"{settings.daily_time} ({settings.time_zone}){ping}; the next one "
            f"<t:{int(when.timestamp())}:R>. `/daily now` posts today's at once.",
        )

    @app_commands.command(name="disable", description="Managers: stop posting daily challenges")
    @app_commands.guild_only()
    async def disable(self, interaction: discord.Interaction) -> None:
        ensure_manager(interaction)
        assert interaction.guild is not None
        await self.services.servers.update(interaction.guild.id, daily_enabled=False)
        await send(
            interaction,
            private=privacy.PERSONAL,
            content="Daily challenges are paused (everything else is kept). `/daily setup` "
            "resumes them; `/daily today` still works.",
        )

    @app_commands.command(name="now", description="Managers: post today's challenge if it is not")
    @app_commands.guild_only()
    async def now(self, interaction: discord.Interaction) -> None:
        ensure_manager(interaction)
        assert interaction.guild is not None
        guild_id = interaction.guild.id
        settings = await self.services.servers.get(guild_id)
        if settings.daily_channel_id is None:
            raise NoDailyChannel()
        await defer(interaction, private=privacy.PERSONAL)
        daily = self.services.daily
        day = await daily.early_day(guild_id)
        challenge = await daily.challenge_for(guild_id, day)
        if challenge.message_id is not None:
            link = jump_url(guild_id, challenge.channel_id, challenge.message_id)
            text = f"Today's challenge is posted already: {link}"
        else:
            message = await self.post_slot(Slot(guild_id, day, self.services.clock()))
            text = (
                f"Posted: {message.jump_url}"
                if message is not None
                else f"I could not post in <#{settings.daily_channel_id}>: check that I may "
                "send messages and create threads there."
            )
        when = await daily.next_post_at(guild_id)
        await send(
            interaction,
            private=privacy.PERSONAL,
            content=f"{text}\nNext one <t:{int(when.timestamp())}:R>.",
        )

    # -- the scheduler --------------------------------------------------------------------

    async def _schedule(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            wake = None
            try:
                wake = await self.tick()
            except Exception:
                log.exception("daily scheduler tick failed")
            delay = MAX_SLEEP
            if wake is not None:
                # Sleep until the next slot itself: no drift, however long posting took.
                ahead = (wake - self.services.clock()).total_seconds()
                delay = min(MAX_SLEEP, max(0.5, ahead))
            await asyncio.sleep(delay)

    async def tick(self) -> datetime | None:
        """Post every slot that is due; returns when the next one comes."""
        plan = await self.services.daily.plan()
        for slot in plan.missed:
            if (slot.guild_id, slot.day) not in self._missed:
                self._missed.add((slot.guild_id, slot.day))
                log.warning(
                    "daily challenge of guild %s for %s not posted: its slot (%s) passed more "
                    "than the catch-up window ago, while the bot was away",
                    slot.guild_id,
                    slot.day,
                    slot.at.isoformat(),
                )
        gate = asyncio.Semaphore(POSTS_AT_ONCE)

        async def one(slot: Slot) -> None:
            async with gate:
                try:
                    await self.post_slot(slot)
                except Exception:  # one server's problem must not stop the others
                    log.exception("daily challenge for guild %s failed", slot.guild_id)

        await asyncio.gather(*(one(slot) for slot in plan.due))
        return plan.wake_at

    async def post_due(self) -> None:
        """One pass of the scheduler (what its loop runs)."""
        await self.tick()

    async def post_slot(self, slot: Slot) -> discord.Message | None:
        """Post ``slot``'s challenge unless it is posted (or being posted) already."""
        now = self.services.clock()
        failed = self._failed.get(slot.guild_id)
        if failed is not None and now - failed < RETRY_AFTER:
            return None
        settings = await self.services.servers.get(slot.guild_id)
        channel = self.bot.get_channel(settings.daily_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            self._failed[slot.guild_id] = now
            log.warning("daily channel of guild %s is not a text channel I see", slot.guild_id)
            return None
        claim = await self.services.daily.claim(slot.guild_id, slot.day)
        if claim is None:
            return None
        challenge = claim.challenge
        message = await self._find_post(channel, challenge) if claim.recovering else None
        if message is None:
            try:
                message = await self._send_post(channel, settings, challenge)
            except discord.HTTPException:
                # Refused for certain: nothing was posted, so the claim is handed back.
                await self.services.daily.release(challenge.id)
                self._failed[slot.guild_id] = now
                raise
            except (TimeoutError, aiohttp.ClientError):
                # Maybe posted: the claim stays, and once it lapses the next try looks for
                # the message (and Discord drops a repeat of the same nonce).
                raise
        thread = await self._thread_for(message, challenge)
        await self.services.daily.mark_posted(
            challenge.id, channel.id, message.id, thread.id if thread else None
        )
        self._failed.pop(slot.guild_id, None)
        return message

    async def _send_post(
        self, channel: discord.TextChannel, settings: ServerSettings, challenge: DailyChallenge
    ) -> discord.Message:
        problem = self.services.curriculum.get(challenge.problem_id)
        if problem is None:
            raise DailyUnavailable()
        variant = await self.services.practice.variants.get(problem, challenge.variant_seed)
        offered = Offered(problem, variant, "daily challenge")
        embeds = [
            problem_embed(
                offered,
                self.services.curriculum,
                privacy.how_to_answer(Place.DAILY, daily_post=True),
            )
        ]
        previous = await self.services.daily.previous(settings.guild_id, challenge.day)
        picture = None
        if previous is not None:
            results, picture = await self._results(previous, challenge.day)
            embeds.append(results)
        next_at = await self.services.daily.next_post_at(settings.guild_id)
        role = settings.daily_role_id
        return await channel.send(
            content=post_content(role, next_at),
            embeds=embeds,
            file=picture or discord.utils.MISSING,
            view=problem_view(ProblemRef(challenge.problem_id, challenge.variant_seed)),
            nonce=post_nonce(settings.guild_id, challenge.day),
            allowed_mentions=discord.AllowedMentions(
                roles=[discord.Object(role)] if role else False, users=False, everyone=False
            ),
        )

    async def _results(
        self, previous: DailyChallenge, today: date
    ) -> tuple[discord.Embed, discord.File | None]:
        """The previous challenge's results, with a picture of its podium when anyone solved it."""
        ranking = await self.services.leaderboard.daily_ranking(previous.guild_id, previous.id)
        problem = self.services.curriculum.get(previous.problem_id)
        title = variant_text(problem, previous.variant_seed).title if problem else "a problem"
        solvers: list[DailyEntry] = list(ranking.entries)  # type: ignore[arg-type]
        embed = results_embed(title, previous.day, today, solvers)
        if not solvers:
            return embed, None
        shown = solvers[:RESULTS_SHOWN]
        names = await display_names(self.bot, previous.guild_id, [e.user_id for e in shown])
        rows = daily_results_rows(
            [(e.rank, names[e.user_id], e.attempts, duration(e.seconds)) for e in shown]
        )
        picture = await self.services.cards.board(
            f"Results of {previous.day:%d %b}", f"{title} · {len(solvers)} solved", rows
        )
        embed.set_image(url=f"attachment://{RESULTS_CARD}")
        return embed, discord.File(io.BytesIO(picture), filename=RESULTS_CARD)

    async def _find_post(
        self, channel: discord.TextChannel, challenge: DailyChallenge
    ) -> discord.Message | None:
        """The post an earlier, unconfirmed attempt may have sent (a crash mid-post)."""
        # The buttons name the day's variant: a new seed each day for templates, and a fixed
        # problem does not come back within the no-repeat window, so the marker is this post's.
        marker = f"pydojo:submit:{challenge.problem_id}:{challenge.variant_seed}"
        assert self.bot.user is not None
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if message.author.id != self.bot.user.id:
                    continue
                if any(
                    getattr(child, "custom_id", None) == marker
                    for row in message.components
                    for child in getattr(row, "children", ())
                ):
                    log.info("found the daily post of guild %s sent before", channel.guild.id)
                    return message
        except discord.HTTPException as exc:
            log.info("could not read the daily channel of guild %s: %s", channel.guild.id, exc)
        return None

    async def _thread_for(
        self, message: discord.Message, challenge: DailyChallenge
    ) -> discord.Thread | None:
        """The post's discussion thread (a thread started from a message has its id)."""
        guild = message.guild
        existing = guild.get_thread(message.id) if guild is not None else None
        if existing is not None:
            return existing
        problem = self.services.curriculum.get(challenge.problem_id)
        name = "Daily challenge"
        if problem is not None:
            name = f"Daily · {variant_text(problem, challenge.variant_seed).title}"
        try:
            return await message.create_thread(name=clip(name, THREAD_NAME_LIMIT))
        except discord.HTTPException as exc:
            log.info("could not open the daily thread of guild %s: %s", challenge.guild_id, exc)
            return None


def jump_url(guild_id: int, channel_id: int | None, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
