"""The Discord application: services wired together, the bot, and `pydojo bot`."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import signal
from dataclasses import dataclass
from pathlib import Path

import discord
from discord.ext import commands

from bot.db import Database, database_url
from bot.services.automode import AutoModeService
from bot.services.clock import Clock, utc_now
from bot.services.daily import DailyService
from bot.services.leaderboard import LeaderboardService
from bot.services.practice import JobGate, PracticeFlow
from bot.services.progress import ProgressService
from bot.services.sessions import PracticeService
from bot.services.stats import StatsService
from bot.services.users import UserService
from bot.settings import Settings
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
)


@dataclass
class Services:
    settings: Settings
    db: Database
    runner: Runner
    curriculum: Curriculum
    practice: PracticeFlow
    sessions: PracticeService
    automode: AutoModeService
    progress: ProgressService
    stats: StatsService
    leaderboard: LeaderboardService
    users: UserService
    daily: DailyService
    clock: Clock = utc_now

    async def close(self) -> None:
        await self.runner.close()
        await self.db.close()


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
    sandbox = runner or Runner(settings.runner_config())
    await sandbox.start()
    sessions = PracticeService(db, clock)
    automode = AutoModeService(db, course, clock)
    progress = ProgressService(db, course, automode, clock)
    daily = DailyService(db, course, clock)
    gate = JobGate(settings.cooldown_seconds)
    flow = PracticeFlow(db, course, sandbox, VariantCache(sandbox), sessions, progress,
                        automode, gate, daily)
    return Services(settings, db, sandbox, course, flow, sessions, automode, progress,
                    StatsService(db, course, clock), LeaderboardService(db, clock),
                    UserService(db, clock), daily, clock)


class PyDojo(commands.Bot):
    def __init__(
        self, services: Services, *, sync: bool = True, sync_guild: int | None = None
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = services.settings.message_content_intent
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
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


class JsonLines(logging.Formatter):
    """One JSON object per log line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line)


MISSING_TOKEN = """\
pydojo bot needs a Discord bot token in DISCORD_TOKEN (environment or .env).
See README.md, section "Creating the Discord application", for the steps: create an
application, add a bot, enable the Message Content intent, and invite it with the scopes
`bot applications.commands`."""


def run_bot(settings: Settings, *, sync_guild: int | None = None, sync: bool = True) -> int:
    if settings.discord_token is None:
        print(MISSING_TOKEN)
        return 2
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler], force=True)
    return asyncio.run(_serve(settings, sync_guild, sync))


async def _serve(settings: Settings, sync_guild: int | None, sync: bool) -> int:
    services = await build_services(settings)
    bot = PyDojo(services, sync=sync, sync_guild=sync_guild)
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
    return 0
