"""The Discord application: services wired together, the bot, and `pydojo bot`."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.db import Database, database_url
from bot.logs import log_as_json
from bot.metrics import MeteredSandbox, serve_metrics, watch_event_loop
from bot.sandbox import make_sandbox
from bot.services.automode import AutoModeService
from bot.services.cards import CardRenderer
from bot.services.clock import Clock, utc_now
from bot.services.daily import DailyService
from bot.services.gate import JobGate
from bot.services.leaderboard import LeaderboardService
from bot.services.practice import PracticeFlow
from bot.services.progress import ProgressService
from bot.services.reminders import ReminderService
from bot.services.reviews import ReviewQueue
from bot.services.rooms import RoomService
from bot.services.server_settings import ServerSettingsService
from bot.services.sessions import PracticeService
from bot.services.stats import StatsService
from bot.services.tutor.build import build_tutor, make_model
from bot.services.tutor.fresh import FreshProblems
from bot.services.tutor.service import Tutor
from bot.services.tutor.situation import RememberingJudge
from bot.services.users import UserService
from bot.settings import Settings
from bot.ui.errors import LearnerTree
from curriculum import Curriculum, VariantCache, default_curriculum
from runner import Runner

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.exts.practice",
    "bot.exts.auto",
    "bot.exts.run",
    "bot.exts.stats",
    "bot.exts.help",
    "bot.exts.daily",
    "bot.exts.leaderboard",
    "bot.exts.settings",
    "bot.exts.reminders",
    "bot.exts.review",
    "bot.exts.learn",
    "bot.exts.tutor",
    "bot.exts.rooms",
)


@dataclass
class Services:
    settings: Settings
    db: Database
    runner: Runner | MeteredSandbox  # in-process or queue-backed, same interface
    curriculum: Curriculum
    practice: PracticeFlow
    sessions: PracticeService
    automode: AutoModeService
    progress: ProgressService
    stats: StatsService
    leaderboard: LeaderboardService
    users: UserService
    daily: DailyService
    tutor: Tutor
    fresh: FreshProblems
    servers: ServerSettingsService
    reminders: ReminderService
    reviews: ReviewQueue
    rooms: RoomService
    clock: Clock = utc_now
    cards: CardRenderer = field(default_factory=CardRenderer)

    async def close(self) -> None:
        await self.fresh.close()
        await self.tutor.close()
        await self.runner.close()
        await self.db.close()
        self.cards.close()


async def build_services(
    settings: Settings,
    *,
    curriculum: Curriculum | None = None,
    runner: Runner | None = None,
    clock: Clock = utc_now,
) -> Services:
    """Open the database (migrating it), start the runner, wire the services."""
    course = curriculum or default_curriculum()
    db = Database(database_url(settings.database_url, settings.data_dir))
    await db.migrate()
    await db.open_connections()
    sandbox = runner or make_sandbox(settings)
    await sandbox.start()
    sessions = PracticeService(db, clock)
    automode = AutoModeService(db, course, clock)
    progress = ProgressService(db, course, automode, clock)
    servers = ServerSettingsService(db, clock)
    daily = DailyService(db, course, clock, servers)
    gate = JobGate(settings.cooldown_seconds)
    judge = RememberingJudge(sandbox)  # the tutor looks at the verdicts learners were shown
    variants = VariantCache(sandbox)
    flow = PracticeFlow(db, course, judge, variants, sessions, progress, automode, gate, daily)
    key = settings.gemini_api_key.get_secret_value() if settings.gemini_api_key else None
    model = make_model(key, settings.tutor, clock)
    tutor, fresh = build_tutor(db, course, flow, model, settings.tutor, clock)
    await fresh.load()
    rooms = RoomService(db, course, sandbox, variants, gate, clock, limit=settings.rooms_per_server)
    return Services(
        settings,
        db,
        sandbox,
        course,
        flow,
        sessions,
        automode,
        progress,
        StatsService(db, course, clock),
        LeaderboardService(db, clock),
        UserService(db, clock),
        daily,
        tutor=tutor,
        fresh=fresh,
        servers=servers,
        reminders=ReminderService(db, clock),
        reviews=ReviewQueue(db, course, clock),
        rooms=rooms,
        clock=clock,
    )


class PyDojo(commands.Bot):
    def __init__(
        self,
        services: Services,
        *,
        sync: bool = True,
        sync_guild: int | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = services.settings.message_content_intent
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=LearnerTree,
            **options,
        )
        self.services = services
        self._sync = sync
        self._sync_guild = sync_guild

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self._sync:
            await self.sync_commands()
        # Everything loaded so far lives as long as the bot: keep it out of the collector's
        # full passes, which otherwise walk it all and pause the event loop for 100+ ms.
        gc.collect()
        gc.freeze()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: slash commands and code blocks are everything (so "@pydojo ```py"
        is code for the practice listener, never an unknown command)."""

    async def sync_commands(self) -> None:
        """Sync the command tree only when it changed since the last sync (or to a dev guild)."""
        if self._sync_guild:
            guild = discord.Object(self._sync_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self._sync_guild)
            return
        payload = json.dumps(
            [c.to_dict(self.tree) for c in self.tree.get_commands()], sort_keys=True, default=str
        )
        digest = hashlib.sha256(payload.encode()).hexdigest()
        marker = Path(self.services.settings.data_dir) / "commands.sha256"
        if marker.exists() and marker.read_text().strip() == digest:
            log.info("application commands unchanged; not syncing")
            return
        synced = await self.tree.sync()
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(digest)
        log.info("synced %d global commands", len(synced))

    async def close(self) -> None:
        await super().close()
        await self.services.close()


class ShardedPyDojo(PyDojo, commands.AutoShardedBot):
    """The same bot over several gateway shards (``PYDOJO_SHARD_COUNT``), for many servers."""


def make_bot(services: Services, **options: Any) -> PyDojo:
    shards = services.settings.shard_count
    if shards is None:
        return PyDojo(services, **options)
    count = None if shards == "auto" else shards  # None: as many as Discord recommends
    return ShardedPyDojo(services, shard_count=count, **options)


MISSING_TOKEN = """\
pydojo bot needs a Discord bot token in DISCORD_TOKEN (environment or .env).
See README.md, section "Creating the Discord application", for the steps: create an
application, add a bot, enable the Message Content intent, and invite it with the scopes
`bot applications.commands`.

To try pydojo without Discord: `make try` (or `pydojo practice`) runs the same practice loop
in this terminal, on the same sandbox and database."""


def run_bot(settings: Settings, *, sync_guild: int | None = None, sync: bool = True) -> int:
    if settings.discord_token is None:
        print(MISSING_TOKEN)
        return 2
    log_as_json(settings.log_level)
    return asyncio.run(_serve(settings, sync_guild, sync))


async def _serve(settings: Settings, sync_guild: int | None, sync: bool) -> int:
    if settings.metrics_port is not None:
        serve_metrics(settings.metrics_port, settings.metrics_host)
    lag = asyncio.create_task(watch_event_loop())
    services = await build_services(settings)
    await services.fresh.prime()  # a serving bot writes fresh problems ahead of demand
    bot = make_bot(services, sync=sync, sync_guild=sync_guild)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        log.error("Discord rejected the token; check DISCORD_TOKEN")
        return 2
    except discord.PrivilegedIntentsRequired:
        log.error(
            "enable the Message Content intent for the bot in the Developer Portal, or "
            "set PYDOJO_MESSAGE_CONTENT_INTENT=false (code blocks then only work in DMs "
            "and messages that mention the bot)"
        )
        return 2
    finally:
        if not bot.is_closed():
            await bot.close()
        lag.cancel()
    return 0
