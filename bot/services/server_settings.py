"""Each server's settings: how practice behaves there, the daily challenge, the board message.

Read on nearly every event in a server, so they are cached in memory; every write goes through
``ServerSettingsService.update``, which replaces the cached copy at once (a change takes effect
on the next event). The short expiry only matters when several bot processes share a database.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import or_, select

from bot.db import Database
from bot.db.models import Guild
from curriculum import Difficulty

from .clock import Clock, is_valid_zone, utc_now
from .errors import BadTime, UnknownTimeZone
from .users import ensure_guild

CACHE_SECONDS = 60.0
MAX_CODE_CHANNELS = 25
MAX_COOLDOWN_SECONDS = 300.0
MAX_AI_DAILY_REQUESTS = 100_000
DAILY_CODE_POLICIES = ("spoiler", "delete")
BOARD_PERIODS = ("all", "week", "today")


@dataclass(frozen=True)
class ServerSettings:
    """What a server chose; ``None`` means "the bot's own default" where it appears."""

    guild_id: int
    practice_threads: bool = True
    verdicts_private: bool = False
    cooldown_seconds: float | None = None
    code_channel_ids: tuple[int, ...] = ()  # empty: code blocks are read in every channel
    default_difficulty: Difficulty | None = None  # None: what fits the learner's record
    ai_enabled: bool = True
    ai_daily_requests: int | None = None
    time_zone: str = "UTC"
    daily_enabled: bool = True
    daily_channel_id: int | None = None
    daily_time: str = "09:00"
    daily_role_id: int | None = None
    daily_difficulty: Difficulty | None = None
    daily_code: str = "spoiler"  # code posted in the daily thread: re-posted as a spoiler
    board_channel_id: int | None = None
    board_message_id: int | None = None
    board_period: str = "week"

    @property
    def daily_scheduled(self) -> bool:
        return self.daily_enabled and self.daily_channel_id is not None

    def reads_code_in(self, channel_id: int | None) -> bool:
        """Code blocks are read in this channel (for a thread: pass its parent channel)."""
        return not self.code_channel_ids or channel_id in self.code_channel_ids

    @classmethod
    def of(cls, guild: Guild) -> ServerSettings:
        return cls(
            guild_id=guild.id,
            practice_threads=guild.practice_threads,
            verdicts_private=guild.verdicts_private,
            cooldown_seconds=guild.cooldown_seconds,
            code_channel_ids=tuple(int(c) for c in guild.code_channel_ids or ()),
            default_difficulty=_difficulty(guild.default_difficulty),
            ai_enabled=guild.ai_enabled,
            ai_daily_requests=guild.ai_daily_requests,
            time_zone=guild.time_zone,
            daily_enabled=guild.daily_enabled,
            daily_channel_id=guild.daily_channel_id,
            daily_time=guild.daily_time,
            daily_role_id=guild.daily_role_id,
            daily_difficulty=_difficulty(guild.daily_difficulty),
            daily_code=guild.daily_code,
            board_channel_id=guild.board_channel_id,
            board_message_id=guild.board_message_id,
            board_period=guild.board_period,
        )


SETTABLE = {f.name for f in fields(ServerSettings)} - {"guild_id"}


def _difficulty(value: str | None) -> Difficulty | None:
    try:
        return Difficulty(value) if value else None
    except ValueError:
        return None


def parse_time(text: str) -> str:
    """ "9:05" → "09:05"; anything else that is not a time of day raises ``BadTime``."""
    hour, sep, minute = text.strip().partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise BadTime(text)
    if int(hour) > 23 or int(minute) > 59:
        raise BadTime(text)
    return f"{int(hour):02d}:{int(minute):02d}"


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone this machine knows, sorted (read once: it scans the disk)."""
    return tuple(sorted(available_timezones()))


def check_zone(name: str) -> str:
    """An IANA time zone name as typed (any case), or ``UnknownTimeZone`` with near matches."""
    name = name.strip()
    if name in zone_names() and is_valid_zone(name):
        return name
    by_key = {z.casefold(): z for z in zone_names()}
    if name.casefold() in by_key:
        return by_key[name.casefold()]
    near = difflib.get_close_matches(name.casefold(), list(by_key), n=3, cutoff=0.6)
    raise UnknownTimeZone(name, [by_key[z] for z in near])


def _validated(name: str, value: Any) -> Any:
    """The stored form of one setting, or ValueError (the edge offers valid choices only)."""
    if name not in SETTABLE:
        raise ValueError(f"unknown server setting {name!r}")
    if name == "time_zone":
        return check_zone(value)
    if name == "daily_time":
        return parse_time(value)
    if name in ("default_difficulty", "daily_difficulty"):
        return Difficulty(value).value if value else None
    if name == "cooldown_seconds" and value is not None:
        if not 0 <= float(value) <= MAX_COOLDOWN_SECONDS:
            raise ValueError(f"cooldown out of range: {value}")
        return float(value)
    if name == "ai_daily_requests" and value is not None:
        if not 0 <= int(value) <= MAX_AI_DAILY_REQUESTS:
            raise ValueError(f"AI budget out of range: {value}")
        return int(value)
    if name == "code_channel_ids":
        channels = sorted({int(c) for c in value})
        if len(channels) > MAX_CODE_CHANNELS:
            raise ValueError("too many code channels")
        return channels
    if name == "daily_code" and value not in DAILY_CODE_POLICIES:
        raise ValueError(f"unknown daily code policy {value!r}")
    if name == "board_period" and value not in BOARD_PERIODS:
        raise ValueError(f"unknown board period {value!r}")
    return value


class ServerSettingsService:
    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.clock = clock
        self.monotonic = monotonic
        self._cache: dict[int, tuple[float, ServerSettings]] = {}

    async def get(self, guild_id: int) -> ServerSettings:
        """The server's settings (defaults for a server never configured); no write."""
        cached = self._cache.get(guild_id)
        if cached is not None and cached[0] > self.monotonic():
            return cached[1]
        async with self.db.read() as session:
            guild = await session.get(Guild, guild_id)
        settings = ServerSettings.of(guild) if guild is not None else ServerSettings(guild_id)
        self._remember(settings)
        return settings

    async def update(self, guild_id: int, **changes: Any) -> ServerSettings:
        """Apply ``changes`` (names of ``ServerSettings`` fields) and return the result."""
        values = {name: _validated(name, value) for name, value in changes.items()}
        async with self.db.write() as session:
            guild = await ensure_guild(session, guild_id, self.clock())
            for name, value in values.items():
                setattr(guild, name, value)
            await session.flush()
            settings = ServerSettings.of(guild)
        self._remember(settings)
        return settings

    async def scheduled(self) -> list[ServerSettings]:
        """Servers with a daily challenge to post or a board message to keep up to date."""
        async with self.db.read() as session:
            rows = await session.scalars(
                select(Guild).where(
                    or_(
                        Guild.daily_enabled & Guild.daily_channel_id.is_not(None),
                        Guild.board_channel_id.is_not(None),
                    )
                )
            )
            found = [ServerSettings.of(guild) for guild in rows]
        for settings in found:
            self._remember(settings)
        return found

    def _remember(self, settings: ServerSettings) -> None:
        self._cache[settings.guild_id] = (self.monotonic() + CACHE_SECONDS, settings)
