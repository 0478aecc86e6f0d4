"""`pydojo doctor`: every piece the bot needs, checked, each on one line with its fix.

✓ works, ✗ broken (the line says how to fix it), ? could not be verified (e.g. offline). The
checks that call Discord or Google are skipped with ``--offline`` and degrade to "?" when the
network does not answer, so the command is safe to run anywhere.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from runner import SandboxUnavailable
from runner.engine import Engine
from runner.queue import QueueConfig, QueueRunner
from runner.queue.redis import REDIS_DOWN, redact

from .db import Database, database_url
from .settings import Settings

NETWORK_SECONDS = 6.0  # per outside call (Discord, Google)
MESSAGE_CONTENT_FLAGS = (1 << 18) | (1 << 19)  # GATEWAY_MESSAGE_CONTENT(_LIMITED)
PORTAL = "https://discord.com/developers/applications"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: could not verify
    detail: str
    fix: str = ""

    def render(self) -> str:
        mark = {True: "✓", False: "✗", None: "?"}[self.ok]
        line = f"{mark} {self.name}: {self.detail}"
        return f"{line}\n    fix: {self.fix}" if self.fix and self.ok is not True else line


def token_shape(token: str) -> str | None:
    """Why ``token`` cannot be a bot token, or None. (A token is ``id.timestamp.hmac``, the
    first part the bot's user id in base64.)"""
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts):
        return "it should have three parts separated by dots"
    try:
        padded = parts[0] + "=" * (-len(parts[0]) % 4)
        user_id = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "its first part is not base64"
    if not user_id.isdigit():
        return "its first part does not encode a user id"
    return None


@dataclass
class Doctor:
    settings: Settings
    offline: bool = False
    gemini_base_url: str | None = None  # tests point these at servers on 127.0.0.1
    timeout: float = NETWORK_SECONDS

    async def checks(self) -> list[Check]:
        found = [self.token()]
        found += await self.discord()
        found += await self.sandbox()
        found.append(await self.database())
        found.append(await self.queue())
        found.append(await self.gemini())
        return found

    # -- Discord ---------------------------------------------------------------------------------

    def _token(self) -> str | None:
        secret = self.settings.discord_token
        return secret.get_secret_value().strip() if secret else None

    def token(self) -> Check:
        token = self._token()
        if not token:
            return Check(
                "Discord token",
                False,
                "DISCORD_TOKEN is not set",
                f"create a bot at {PORTAL}, reset its token and put it in .env as "
                "DISCORD_TOKEN=... (README: Creating the Discord application)",
            )
        problem = token_shape(token)
        if problem:
            return Check(
                "Discord token",
                False,
                f"DISCORD_TOKEN does not look like a bot token: {problem}",
                "copy it again from Bot → Reset Token (not the client secret or the public key)",
            )
        return Check("Discord token", True, "set, and shaped like a bot token")

    async def discord(self) -> list[Check]:
        wanted = self.settings.message_content_intent
        if not wanted:
            intent = Check(
                "Message Content intent",
                True,
                "not requested "
                "(PYDOJO_MESSAGE_CONTENT_INTENT=false): code blocks are read only in "
                "DMs and in messages that mention the bot",
            )
        else:
            intent = Check(
                "Message Content intent",
                None,
                "requested; the portal setting could not be checked",
                f"make sure Bot → Privileged Gateway Intents → Message Content is on at {PORTAL}",
            )
        token = self._token()
        if self.offline or not token or token_shape(token):
            why = "skipped (--offline)" if self.offline else "skipped (no valid token)"
            return [Check("Discord login", None, why), intent]
        import discord

        http = discord.http.HTTPClient(asyncio.get_running_loop())
        try:
            user = await asyncio.wait_for(http.static_login(token), self.timeout)
            app = await asyncio.wait_for(http.application_info(), self.timeout)
        except discord.LoginFailure:
            return [
                Check(
                    "Discord login",
                    False,
                    "Discord rejected the token",
                    "reset the token under Bot in the Developer Portal and update DISCORD_TOKEN",
                ),
                intent,
            ]
        except Exception as exc:  # DNS, refused, timeout, TLS: the network, not the token
            return [Check("Discord login", None, f"could not reach Discord ({_why(exc)})"), intent]
        finally:
            with contextlib.suppress(Exception):
                await http.close()
        login = Check(
            "Discord login",
            True,
            f"logged in as {user.get('username')} (application {app.get('id')})",
        )
        if wanted:
            enabled = int(app.get("flags") or 0) & MESSAGE_CONTENT_FLAGS
            intent = (
                Check("Message Content intent", True, "enabled in the portal")
                if enabled
                else Check(
                    "Message Content intent",
                    False,
                    "the bot asks for it but the application does not have it",
                    f"enable Bot → Privileged "
                    f"Gateway Intents → Message Content at {PORTAL}, or set "
                    "PYDOJO_MESSAGE_CONTENT_INTENT=false",
                )
            )
        return [login, intent]

    # -- the sandbox -------------------------------------------------------------------------------

    async def sandbox(self) -> list[Check]:
        config = self.settings.runner_config()
        engine = Engine(config.image, config.limits, config.docker_url)
        queue_mode = bool(self.settings.queue_url)
        try:
            version = await asyncio.to_thread(engine.check)
        except SandboxUnavailable as exc:
            message = str(exc)
            if queue_mode:  # the bot needs no engine; the workers report theirs below
                return [
                    Check(
                        "Docker engine",
                        True,
                        "not needed here: the runner workers own "
                        "the engine (PYDOJO_QUEUE_URL is set)",
                    )
                ]
            if "image" in message:
                return [
                    Check("Docker engine", True, "reachable"),
                    Check(
                        "sandbox image",
                        False,
                        f"{config.image} is missing",
                        "pydojo sandbox build --python all (add --offline on a machine without "
                        "a registry)",
                    ),
                ]
            return [
                Check(
                    "Docker engine",
                    False,
                    "not reachable",
                    "start it (`systemctl start docker`, or `dockerd &`), or point "
                    "PYDOJO_DOCKER_URL / DOCKER_HOST at a remote engine",
                )
            ]
        finally:
            engine.close()
        info = await asyncio.to_thread(self._engine_info, config.docker_url)
        checks = [
            Check("Docker engine", True, f"reachable (Docker {info.get('ServerVersion', '?')})"),
            Check("sandbox image", True, f"{config.image}, Python {version} (judges)"),
        ]
        for series, tag in config.images.items():
            if series == config.python:
                continue
            other = Engine(tag, config.limits, config.docker_url)
            try:
                found = await asyncio.to_thread(other.check)
                checks.append(Check(f"Python {series} image", True, f"{tag}, Python {found}"))
            except SandboxUnavailable:
                checks.append(
                    Check(
                        f"Python {series} image",
                        False,
                        f"{tag} is missing (`/run` with version {series} will not work)",
                        f"pydojo sandbox build --python {series}",
                    )
                )
            finally:
                other.close()
        runtimes = sorted((info.get("Runtimes") or {}).keys())
        wanted = config.limits.runtime
        if wanted in runtimes:
            others = ", ".join(r for r in runtimes if r != wanted) or "none"
            checks.append(Check("container runtime", True, f"{wanted} (other runtimes: {others})"))
        else:
            checks.append(
                Check(
                    "container runtime",
                    False,
                    f"{wanted} is configured but the "
                    f"engine has only {', '.join(runtimes) or 'none'}",
                    "install gVisor (`apt-get install runsc`) and register it in "
                    "/etc/docker/daemon.json, or set PYDOJO_SANDBOX__RUNTIME=runc",
                )
            )
        return checks

    @staticmethod
    def _engine_info(docker_url: str | None) -> dict[str, Any]:
        import docker

        client = (
            docker.DockerClient(base_url=docker_url, timeout=10)
            if docker_url
            else docker.from_env(timeout=10)
        )
        try:
            return dict(client.info())
        finally:
            client.close()

    # -- storage and queue ---------------------------------------------------------------------

    async def database(self) -> Check:
        from alembic.script import ScriptDirectory

        from .db.database import alembic_config

        url = self.settings.database_url
        if url is None:
            path = Path(self.settings.data_dir) / "pydojo.sqlite3"
            if not path.exists():
                return Check(
                    "database",
                    True,
                    f"none yet at {path}; the bot creates and migrates it when it starts",
                )
        shown = make_url(database_url(url, self.settings.data_dir)).render_as_string(
            hide_password=True
        )
        head = ScriptDirectory.from_config(alembic_config(shown)).get_current_head()
        db = Database(database_url(url, self.settings.data_dir))
        try:
            current = await asyncio.wait_for(self._revision(db), 10)
        except Exception as exc:
            if "alembic_version" in str(exc):
                return Check(
                    "database",
                    False,
                    f"{shown} has no schema",
                    "start the bot once: it migrates the database at start",
                )
            return Check(
                "database",
                False,
                f"{shown} is not reachable ({_why(exc)})",
                "check PYDOJO_DATABASE_URL and that the server is running",
            )
        finally:
            await db.close()
        if current != head:
            return Check(
                "database",
                False,
                f"{shown} is at revision {current}, the code expects {head}",
                "start the bot once: it migrates at start",
            )
        return Check("database", True, f"{shown}, migrated (revision {current})")

    @staticmethod
    async def _revision(db: Database) -> str | None:
        async with db.read() as session:
            return await session.scalar(text("SELECT version_num FROM alembic_version"))

    async def queue(self) -> Check:
        config = self.settings.queue_config()
        if config is None:
            return Check(
                "job queue",
                True,
                "not used: submissions run in the bot's own "
                "process (set PYDOJO_QUEUE_URL to use runner workers)",
            )
        where = redact(config.url)
        client = QueueRunner(QueueConfig(url=config.url, name=config.name))
        try:
            await client.queue.connect()
            stats = await asyncio.wait_for(client.stats(), 10)
        except (*REDIS_DOWN, TimeoutError) as exc:
            return Check(
                "job queue",
                False,
                f"{where} is not reachable ({_why(exc)})",
                "start Redis, or fix PYDOJO_QUEUE_URL",
            )
        finally:
            await client.close()
        if not stats.workers:
            return Check(
                "job queue",
                False,
                f"{where} answers, but no runner worker is "
                f"alive on queue {config.name!r} ({stats.queued} waiting)",
                "start `pydojo runner serve` on a machine with Docker (same "
                "PYDOJO_QUEUE_URL and PYDOJO_QUEUE_NAME)",
            )
        slots = sum(w.concurrency for w in stats.workers)
        pythons = sorted({w.python_version or "unknown" for w in stats.workers})
        return Check(
            "job queue",
            True,
            f"{where}: {len(stats.workers)} worker(s) alive, "
            f"{slots} slots, Python {', '.join(pythons)}; {stats.queued} waiting, "
            f"{stats.active} running",
        )

    # -- AI ----------------------------------------------------------------------------------

    async def gemini(self) -> Check:
        secret = self.settings.gemini_api_key
        if secret is None or not secret.get_secret_value().strip():
            return Check("Gemini key", True, "not set (the AI tutor is optional)")
        if self.offline:
            return Check("Gemini key", None, "set; not verified (--offline)")
        from google import genai
        from google.genai import errors, types

        options = types.HttpOptions(
            timeout=int(self.timeout * 1000),
            api_version="v1beta",
            retry_options=types.HttpRetryOptions(attempts=1),
            base_url=self.gemini_base_url,
        )
        client = genai.Client(api_key=secret.get_secret_value().strip(), http_options=options)
        try:
            await asyncio.wait_for(client.aio.models.list(), self.timeout)
        except errors.ClientError as exc:
            if exc.code in (400, 401, 403):
                return Check(
                    "Gemini key",
                    False,
                    f"Google rejected the key ({exc.code})",
                    "create a key at https://aistudio.google.com/apikey and set "
                    "GEMINI_API_KEY, or unset it to run without the tutor",
                )
            return Check("Gemini key", None, f"could not verify ({exc.code})")
        except Exception as exc:
            return Check("Gemini key", None, f"could not verify (Google unreachable: {_why(exc)})")
        finally:
            with contextlib.suppress(Exception):
                await client.aio.aclose()
        return Check("Gemini key", True, "accepted by Google")


def _why(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text_}" if text_ else type(exc).__name__


async def diagnose(settings: Settings, **options: Any) -> list[Check]:
    return await Doctor(settings, **options).checks()


def run_doctor(
    settings: Settings, *, offline: bool = False, write: Callable[[str], Any] = print
) -> int:
    checks = asyncio.run(diagnose(settings, offline=offline))
    for check in checks:
        write(check.render())
    broken = sum(check.ok is False for check in checks)
    unsure = sum(check.ok is None for check in checks)
    write(f"\n{broken} to fix, {unsure} not verified" if broken or unsure else "\nall good")
    sys.stdout.flush()
    return 1 if broken else 0
