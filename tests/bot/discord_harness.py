"""Driving the real discord.py bot with no network.

Gateway events are fed in as raw payloads (slash commands, button clicks, modal submits,
messages); every REST call the bot makes is answered by ``FakeDiscord`` and recorded, so tests
assert on exactly what would have been sent to Discord.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter

APP_ID = 900000000000000001
BOT_USER = {"id": str(APP_ID), "username": "pydojo", "discriminator": "0", "avatar": None,
            "global_name": "pydojo", "bot": True}
GUILD_ID = 800000000000000001
CHANNEL_ID = 810000000000000001
_ids = itertools.count(950000000000000000)


def snowflake() -> int:
    return next(_ids)


def user_payload(user_id: int, name: str = "learner") -> dict[str, Any]:
    return {"id": str(user_id), "username": f"{name}{user_id % 1000}", "discriminator": "0",
            "avatar": None, "global_name": name}


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    files: list[discord.File]
    at: float  # monotonic time of the call

    @property
    def flags(self) -> int:
        data = (self.body or {}).get("data", self.body or {})
        return int((data or {}).get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def callback_type(self) -> int | None:
        return (self.body or {}).get("type") if self.path.endswith("/callback") else None

    @property
    def message(self) -> dict[str, Any]:
        """The message part of the call (content, embeds, components, allowed mentions)."""
        body = self.body or {}
        return body.get("data", body) if self.path.endswith("/callback") else body

    def text(self) -> str:
        """Everything a person would read in it."""
        message = self.message or {}
        parts = [message.get("content") or ""]
        for embed in message.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(parts)

    def custom_ids(self) -> list[str]:
        found = []

        def walk(components: list[dict[str, Any]]) -> None:
            for component in components:
                if "custom_id" in component:
                    found.append(component["custom_id"])
                walk(component.get("components", []))
                if "component" in component:
                    walk([component["component"]])

        walk((self.message or {}).get("components") or [])
        return found


@dataclass
class FakeDiscord:
    calls: list[Call] = field(default_factory=list)
    state: Any = None
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)

    def _message(self, channel_id: int, body: dict[str, Any] | None, *, ephemeral: bool = False
                 ) -> dict[str, Any]:
        body = body or {}
        payload = {
            "id": str(snowflake()), "channel_id": str(channel_id), "author": BOT_USER,
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "attachments": [],
            "timestamp": "2026-03-02T12:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "pinned": False,
            "type": 0, "flags": 64 if ephemeral else 0,
        }
        self.messages[int(payload["id"])] = payload
        return payload

    def record(self, method: str, path: str, body: Any, files: Any) -> Call:
        if isinstance(body, str):
            body = json.loads(body)
        call = Call(method, path, body, list(files or []), time.monotonic())
        self.calls.append(call)
        return call

    async def http_request(self, route: discord.http.Route, *, files: Any = None,
                           form: Any = None, **kwargs: Any) -> Any:
        body = kwargs.get("json")
        if body is None and form:
            body = next((json.loads(f["value"]) for f in form if f.get("name") == "payload_json"),
                        None)
        call = self.record(route.method, _path(route), body, files)
        channel_id = getattr(route, "channel_id", None)
        if route.method == "POST" and call.path.endswith("/messages"):
            return self._message(int(channel_id), body)
        if route.method == "PATCH" and "/messages/" in call.path:
            return self._message(int(channel_id), body)
        if route.method == "POST" and call.path.endswith("/threads"):
            thread = {"id": str(snowflake()), "type": 11, "guild_id": str(GUILD_ID),
                      "parent_id": str(channel_id), "name": (body or {}).get("name", "thread"),
                      "owner_id": str(APP_ID), "message_count": 0, "member_count": 1,
                      "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                          "archive_timestamp": "2026-03-02T12:00:00+00:00",
                                          "locked": False}}
            self.state.parse_thread_create({**thread, "newly_created": True})
            return thread
        return None

    async def webhook_request(self, adapter: Any, route: Any, session: Any = None, *,
                              payload: Any = None, multipart: Any = None, files: Any = None,
                              params: Any = None, **kwargs: Any) -> Any:
        if payload is None and multipart:
            payload = next((json.loads(m["value"]) for m in multipart
                            if m.get("name") == "payload_json"), None)
        path = _path(route)
        call = self.record(route.method, path, payload, files)
        if path.endswith("/callback"):
            kind = (payload or {}).get("type")
            data = (payload or {}).get("data") or {}
            message = None
            if kind in (4, 7):
                message = self._message(CHANNEL_ID, data, ephemeral=bool(data.get("flags", 0) & 64))
            response_id = message["id"] if message else str(snowflake())
            result: dict[str, Any] = {"interaction": {
                "id": path.split("/")[2], "type": 2, "response_message_id": response_id,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64)}}
            if message is not None:
                result["resource"] = {"type": kind, "message": message}
            return result
        if route.method in ("POST", "PATCH"):
            return self._message(CHANNEL_ID, payload, ephemeral=call.ephemeral)
        return None

    async def get_from_cdn(self, url: str) -> bytes:
        return ATTACHMENTS[url]


ATTACHMENTS: dict[str, bytes] = {}


def _path(route: Any) -> str:
    """The request path with its parameters filled, as Discord would see it."""
    url = route.url.split("?")[0]
    return url[len(route.BASE):] if url.startswith(route.BASE) else url


class DiscordHarness:
    """A bot plus helpers to send it events and read back what it sent."""

    def __init__(self, bot: Any, monkeypatch: Any) -> None:
        self.bot = bot
        self.fake = FakeDiscord()
        self.fake.state = bot._connection
        self.monkeypatch = monkeypatch
        self.guild: discord.Guild | None = None

    async def start(self) -> None:
        bot = self.bot
        await bot._async_setup_hook()
        state = bot._connection
        state.user = discord.ClientUser(state=state, data=BOT_USER)
        state.application_id = APP_ID
        self.monkeypatch.setattr(bot.http, "request", self.fake.http_request)
        self.monkeypatch.setattr(bot.http, "get_from_cdn", self.fake.get_from_cdn)
        fake = self.fake

        async def adapter_request(adapter: Any, route: Any, session: Any = None,
                                  **kwargs: Any) -> Any:
            return await fake.webhook_request(adapter, route, session, **kwargs)

        self.monkeypatch.setattr(AsyncWebhookAdapter, "request", adapter_request)
        await bot.setup_hook()
        self.guild = state._add_guild_from_data(self._guild_payload())

    @staticmethod
    def _guild_payload() -> dict[str, Any]:
        return {
            "id": str(GUILD_ID), "name": "Study group", "owner_id": "1", "features": [],
            "emojis": [], "stickers": [], "member_count": 3, "members": [], "threads": [],
            "roles": [{"id": str(GUILD_ID), "name": "@everyone", "permissions": "1071698660929",
                       "position": 0, "color": 0, "hoist": False, "managed": False,
                       "mentionable": False, "flags": 0}],
            "channels": [{"id": str(CHANNEL_ID), "type": 0, "name": "practice", "position": 0,
                          "guild_id": str(GUILD_ID), "permission_overwrites": [], "nsfw": False,
                          "parent_id": None}],
            "premium_tier": 0, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0,
            "system_channel_flags": 0, "preferred_locale": "en-US",
        }

    # -- events --------------------------------------------------------------------------------

    def _where(self, user_id: int, channel_id: int | None, dm: bool) -> dict[str, Any]:
        if dm:
            return {"user": user_payload(user_id), "context": 1,
                    "channel_id": str(channel_id or 700000000000000000 + user_id % 1000),
                    "channel": {"id": str(channel_id or 700000000000000000 + user_id % 1000),
                                "type": 1, "recipients": [user_payload(user_id)]},
                    "authorizing_integration_owners": {"1": str(user_id)}}
        channel = channel_id or CHANNEL_ID
        kind = 0 if channel == CHANNEL_ID else 11
        return {"guild_id": str(GUILD_ID), "context": 0, "channel_id": str(channel),
                "channel": {"id": str(channel), "type": kind, "guild_id": str(GUILD_ID),
                            "name": "practice", "position": 0, "permission_overwrites": [],
                            "parent_id": str(CHANNEL_ID) if kind == 11 else None},
                "member": {"user": user_payload(user_id), "roles": [], "flags": 0,
                           "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False,
                           "mute": False, "permissions": "1071698660929"},
                "authorizing_integration_owners": {"0": str(GUILD_ID)}}

    def _interaction(self, kind: int, data: dict[str, Any], user_id: int,
                     channel_id: int | None, dm: bool, **extra: Any) -> dict[str, Any]:
        interaction_id = snowflake()
        return {"id": str(interaction_id), "application_id": str(APP_ID), "type": kind,
                "token": f"token-{interaction_id}", "version": 1, "data": data,
                "locale": "en-US", "app_permissions": "1071698660929", "entitlements": [],
                "attachment_size_limit": 8 * 1024 * 1024,
                **self._where(user_id, channel_id, dm), **extra}

    async def slash(self, name: str, user_id: int, *, options: dict[str, Any] | None = None,
                    sub: str | None = None, channel_id: int | None = None,
                    dm: bool = False) -> list[Call]:
        opts = [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v}
                for k, v in (options or {}).items()]
        if sub:
            opts = [{"name": sub, "type": 1, "options": opts}]
        data = {"id": str(snowflake()), "name": name, "type": 1, "options": opts}
        return await self.feed(self._interaction(2, data, user_id, channel_id, dm))

    async def click(self, custom_id: str, user_id: int, *, channel_id: int | None = None,
                    dm: bool = False) -> list[Call]:
        # discord.py rebuilds the clicked message's view, so the button must be on it
        button = {"type": 2, "style": 2, "label": "button", "custom_id": custom_id}
        message = self.fake._message(channel_id or CHANNEL_ID, {
            "components": [{"type": 1, "components": [button]}]})
        data = {"custom_id": custom_id, "component_type": 2}
        return await self.feed(self._interaction(3, data, user_id, channel_id, dm,
                                                 message=message))

    async def submit_modal(self, modal_call: Call, values: list[str], user_id: int, *,
                           channel_id: int | None = None, dm: bool = False) -> list[Call]:
        modal = modal_call.body["data"]  # type: ignore[index]
        inputs = [cid for cid in modal_call.custom_ids() if cid != modal["custom_id"]]
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]}
                for cid, value in zip(inputs, values, strict=False)]
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self.feed(self._interaction(5, data, user_id, channel_id, dm))

    async def message(self, content: str, user_id: int, *, channel_id: int | None = None,
                      dm: bool = False, attachments: list[tuple[str, bytes]] = (),
                      mention_bot: bool = False, message_id: int | None = None,
                      edit: bool = False) -> list[Call]:
        channel = channel_id or (700000000000000000 + user_id % 1000 if dm else CHANNEL_ID)
        files = []
        for name, data in attachments:
            url = f"https://cdn.example/{snowflake()}/{name}"
            ATTACHMENTS[url] = data
            files.append({"id": str(snowflake()), "filename": name, "size": len(data),
                          "url": url, "proxy_url": url})
        payload: dict[str, Any] = {
            "id": str(message_id or snowflake()), "channel_id": str(channel),
            "author": user_payload(user_id), "content": content, "attachments": files,
            "embeds": [], "components": [], "timestamp": "2026-03-02T12:00:00+00:00",
            "edited_timestamp": "2026-03-02T12:00:30+00:00" if edit else None, "tts": False,
            "mention_everyone": False, "mentions": [BOT_USER] if mention_bot else [],
            "mention_roles": [], "pinned": False, "type": 0, "flags": 0,
        }
        if not dm:
            payload["guild_id"] = str(GUILD_ID)
            payload["member"] = {"roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
                                 "deaf": False, "mute": False, "flags": 0}
        if dm and edit is False:
            self.bot._connection._private_channels_by_user.pop(user_id, None)
        start = len(self.fake.calls)
        if edit:
            self.bot._connection.parse_message_update(payload)
        else:
            self.bot._connection.parse_message_create(payload)
        await self.settle()
        return self.fake.calls[start:]

    async def feed(self, payload: dict[str, Any]) -> list[Call]:
        start = len(self.fake.calls)
        received = time.monotonic()
        self.bot._connection.parse_interaction_create(payload)
        await self.settle()
        calls = self.fake.calls[start:]
        for call in calls:
            call.at -= received  # seconds after the event arrived
        return calls

    async def settle(self, limit: float = 60) -> None:
        """Wait for the tasks discord.py spawned for the event to finish."""
        prefixes = ("CommandTree-invoker", "discord-ui-", "discord.py:")
        deadline = time.monotonic() + limit
        await asyncio.sleep(0)
        while True:
            pending = [t for t in asyncio.all_tasks()
                       if not t.done() and t.get_name().startswith(prefixes)]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"tasks still running: {[t.get_name() for t in pending]}")
            await asyncio.wait(pending, timeout=max(0.01, deadline - time.monotonic()))
