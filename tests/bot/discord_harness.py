"""Driving the real discord.py bot with no network.

Gateway events are fed in as raw payloads (slash commands, button clicks, modal submits,
messages); every REST call the bot makes is answered by ``FakeDiscord`` and recorded, so tests
assert on exactly what would have been sent to Discord. The fake follows Discord's visibility
rules for interactions (the first follow-up after a defer replaces the "thinking…" placeholder
and takes its visibility, whatever flags it asks for), so ``Call.ephemeral`` and
``Call.visible_to`` say who would really see a message.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter

from bot.app import PyDojo, build_services
from bot.settings import Settings
from curriculum import Curriculum

APP_ID = 900000000000000001
BOT_USER = {
    "id": str(APP_ID),
    "username": "pydojo",
    "discriminator": "0",
    "avatar": None,
    "global_name": "pydojo",
    "bot": True,
}
MEMBER_PERMISSIONS = 1071698660929  # a member's usual permissions (no Manage Server)
MANAGE_GUILD = 1 << 5
GUILD_ID = 800000000000000001
CHANNEL_ID = 810000000000000001
DAILY_CHANNEL_ID = 810000000000000002
TEXT_CHANNELS = (CHANNEL_ID, DAILY_CHANNEL_ID)
_last_id = 0


def snowflake() -> int:
    """A fresh id that, like Discord's, grows with the time it was made."""
    global _last_id
    _last_id = max(_last_id + 1, discord.utils.time_snowflake(datetime.now(UTC)))
    return _last_id


def dm_channel_of(user_id: int) -> int:
    return 700000000000000000 + user_id % 1000


def user_payload(user_id: int, name: str = "learner") -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": f"{name}{user_id % 1000}",
        "discriminator": "0",
        "avatar": None,
        "global_name": name,
    }


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    files: list[discord.File]
    at: float  # monotonic time of the call; seconds after the event for ``feed`` results
    ephemeral: bool = False  # as Discord would show it (see the module docstring)
    user: int | None = None  # whose interaction this answers, if any
    deleted: bool = False  # the message was deleted afterwards

    @property
    def flags(self) -> int:
        data = (self.body or {}).get("data", self.body or {})
        return int((data or {}).get("flags") or 0)

    @property
    def callback_type(self) -> int | None:
        return (self.body or {}).get("type") if self.path.endswith("/callback") else None

    @property
    def message(self) -> dict[str, Any]:
        """The message part of the call (content, embeds, components, allowed mentions)."""
        body = self.body or {}
        return body.get("data", body) if self.path.endswith("/callback") else body

    @property
    def shows_message(self) -> bool:
        """A message someone reads: posted or edited content (not a placeholder or a modal)."""
        if self.method == "DELETE" or "/reactions/" in self.path or self.path.endswith("/typing"):
            return False
        if self.path.endswith("/callback"):
            return self.callback_type in (4, 7)
        message = self.message or {}
        return bool(message.get("content") or message.get("embeds") or self.files)

    @property
    def replies_to(self) -> int | None:
        reference = (self.body or {}).get("message_reference") or {}
        return int(reference["message_id"]) if "message_id" in reference else None

    @property
    def reaction(self) -> str | None:
        if self.method == "PUT" and "/reactions/" in self.path:
            return self.path.split("/reactions/")[1].split("/")[0]
        return None

    def visible_to(self, user_id: int) -> bool:
        return (
            self.shows_message and not self.deleted and (not self.ephemeral or self.user == user_id)
        )

    def text(self) -> str:
        """Everything a person would read in it."""
        message = self.message or {}
        parts = [message.get("content") or ""]
        for embed in message.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
            parts.append((embed.get("footer") or {}).get("text", ""))
        parts += [f.filename or "" for f in self.files]
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

    def file_bytes(self, index: int = 0) -> bytes:
        data = self.files[index].fp
        data.seek(0)
        return data.read()

    def file_text(self, index: int = 0) -> str:
        data = self.files[index].fp
        data.seek(0)
        return data.read().decode()


@dataclass
class Interaction:
    """Discord's state of one interaction token."""

    user: int
    deferred_private: bool = False
    loading: bool = False  # a deferred placeholder still shows "thinking…"
    original: list[Call] = field(default_factory=list)  # calls that showed the original


def refused(code: int, message: str) -> discord.Forbidden:
    """What discord.py raises when Discord answers 403 with an error code."""
    return discord.Forbidden(
        SimpleNamespace(status=403, reason="Forbidden"), {"code": code, "message": message}
    )


@dataclass
class FakeDiscord:
    calls: list[Call] = field(default_factory=list)
    state: Any = None
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    interactions: dict[str, Interaction] = field(default_factory=dict)  # by token
    threads: dict[int, dict[str, Any]] = field(default_factory=dict)  # payloads by id
    dm_channels: dict[int, int] = field(default_factory=dict)  # DM channel id -> its user
    closed_dms: set[int] = field(default_factory=set)  # users who accept no DM from the bot
    no_delete: set[int] = field(default_factory=set)  # channels where the bot may not delete
    # Channels where Discord is slow: a message posted there is answered once the event is set.
    held: dict[int, asyncio.Event] = field(default_factory=dict)

    def _message(
        self, channel_id: int, body: dict[str, Any] | None, *, ephemeral: bool = False
    ) -> dict[str, Any]:
        body = body or {}
        payload = {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "timestamp": "2026-03-02T12:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "type": 0,
            "flags": 64 if ephemeral else 0,
        }
        if channel_id in self.threads or channel_id in TEXT_CHANNELS:
            payload["guild_id"] = str(GUILD_ID)
        self.messages[int(payload["id"])] = payload
        return payload

    def record(self, method: str, path: str, body: Any, files: Any) -> Call:
        if isinstance(body, str):
            body = json.loads(body)
        call = Call(method, path, body, list(files or []), time.monotonic())
        call.ephemeral = bool(call.flags & 64)
        self.calls.append(call)
        return call

    async def http_request(
        self, route: discord.http.Route, *, files: Any = None, form: Any = None, **kwargs: Any
    ) -> Any:
        body = kwargs.get("json")
        if body is None and form:
            body = next(
                (json.loads(f["value"]) for f in form if f.get("name") == "payload_json"), None
            )
        call = self.record(route.method, _path(route), body, files)
        call.ephemeral = False  # channel messages are seen by everyone in the channel
        channel_id = getattr(route, "channel_id", None)
        if route.method == "POST" and call.path == "/users/@me/channels":
            user = int((body or {})["recipient_id"])
            channel = dm_channel_of(user)
            self.dm_channels[channel] = user
            return {"id": str(channel), "type": 1, "recipients": [user_payload(user)]}
        if route.method == "POST" and call.path.endswith("/messages"):
            if (held := self.held.get(int(channel_id))) is not None:
                await held.wait()
            if self.dm_channels.get(int(channel_id)) in self.closed_dms:
                raise refused(50007, "Cannot send messages to this user")
            return self._message(int(channel_id), body)
        if route.method == "GET" and call.path.endswith("/messages"):
            limit = int((kwargs.get("params") or {}).get("limit", 50))
            found = [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]
            return sorted(found, key=lambda m: int(m["id"]), reverse=True)[:limit]
        if route.method == "DELETE" and "/messages/" in call.path:
            if int(channel_id) in self.no_delete:
                raise refused(50013, "Missing Permissions")
            self.messages.pop(int(call.path.rsplit("/", 1)[1]), None)
            return None
        if route.method == "PATCH" and "/messages/" in call.path:
            message_id = int(call.path.rsplit("/", 1)[1])
            if message_id not in self.messages:
                raise discord.NotFound(
                    SimpleNamespace(status=404, reason="Not Found"),
                    {"code": 10008, "message": "Unknown Message"},
                )
            edited = self._message(int(channel_id), body)
            del self.messages[int(edited["id"])]
            edited["id"] = str(message_id)  # an edit keeps the message's id
            self.messages[message_id] = edited
            return edited
        if route.method == "PATCH" and int(channel_id or 0) in self.threads:
            thread = self.threads[int(channel_id)]
            for flag in ("archived", "locked"):
                if flag in (body or {}):
                    thread["thread_metadata"][flag] = bool(body[flag])
            return thread
        if route.method == "GET" and call.path.startswith("/users/") and call.path[7:].isdigit():
            return user_payload(int(call.path[7:]))
        if route.method == "POST" and call.path.endswith("/threads"):
            thread = {
                "id": str(snowflake()),
                "type": 11,
                "guild_id": str(GUILD_ID),
                "parent_id": str(channel_id),
                "name": (body or {}).get("name", "thread"),
                "owner_id": str(APP_ID),
                "message_count": 0,
                "member_count": 1,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2026-03-02T12:00:00+00:00",
                    "locked": False,
                },
            }
            self.threads[int(thread["id"])] = thread
            self.state.parse_thread_create({**thread, "newly_created": True})
            return thread
        return None

    async def webhook_request(
        self,
        adapter: Any,
        route: Any,
        session: Any = None,
        *,
        payload: Any = None,
        multipart: Any = None,
        files: Any = None,
        params: Any = None,
        **kwargs: Any,
    ) -> Any:
        if payload is None and multipart:
            payload = next(
                (json.loads(m["value"]) for m in multipart if m.get("name") == "payload_json"),
                None,
            )
        path = _path(route)
        call = self.record(route.method, path, payload, files)
        parts = path.split("/")
        token = parts[3]  # /interactions/<id>/<token>/callback, /webhooks/<app>/<token>/...
        interaction = self.interactions.get(token)
        if interaction is not None:
            call.user = interaction.user
        if path.endswith("/callback"):
            return self._callback(call, interaction, path)
        if interaction is not None:
            self._visibility(call, interaction, path)
        if route.method in ("POST", "PATCH"):
            return self._message(CHANNEL_ID, payload, ephemeral=call.ephemeral)
        return None

    def _callback(self, call: Call, interaction: Interaction | None, path: str) -> Any:
        payload = call.body or {}
        kind = payload.get("type")
        data = payload.get("data") or {}
        private = bool(data.get("flags", 0) & 64)
        if interaction is not None:
            if kind == 5:
                interaction.deferred_private, interaction.loading = private, True
            if kind in (4, 7):
                interaction.deferred_private = private
                interaction.original.append(call)
        message = None
        if kind in (4, 7):
            message = self._message(CHANNEL_ID, data, ephemeral=private)
        response_id = message["id"] if message else str(snowflake())
        result: dict[str, Any] = {
            "interaction": {
                "id": path.split("/")[2],
                "type": 2,
                "response_message_id": response_id,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": private,
            }
        }
        if message is not None:
            result["resource"] = {"type": kind, "message": message}
        return result

    @staticmethod
    def _visibility(call: Call, interaction: Interaction, path: str) -> None:
        original = path.endswith("/messages/@original")
        if call.method == "DELETE" and original:
            for shown in interaction.original:
                shown.deleted = True
            return
        if original or (call.method == "POST" and interaction.loading):
            call.ephemeral = interaction.deferred_private
            interaction.loading = False
            interaction.original.append(call)

    async def get_from_cdn(self, url: str) -> bytes:
        return ATTACHMENTS[url]


ATTACHMENTS: dict[str, bytes] = {}


def _path(route: Any) -> str:
    """The request path with its parameters filled, as Discord would see it."""
    url = route.url.split("?")[0]
    return url[len(route.BASE) :] if url.startswith(route.BASE) else url


class DiscordHarness:
    """A bot plus helpers to send it events and read back what it sent.

    ``threads`` are thread payloads Discord would send with the guild at login (active threads
    from before a restart)."""

    def __init__(
        self, bot: Any, monkeypatch: Any, threads: dict[int, dict[str, Any]] | None = None
    ) -> None:
        self.bot = bot
        self.fake = FakeDiscord()
        self.fake.state = bot._connection
        self.fake.threads.update(threads or {})
        self.monkeypatch = monkeypatch
        self.guild: discord.Guild | None = None
        self.managers: set[int] = set()  # members with the Manage Server permission

    async def start(self) -> None:
        bot = self.bot
        await bot._async_setup_hook()
        state = bot._connection
        state.user = discord.ClientUser(state=state, data=BOT_USER)
        state.application_id = APP_ID
        self.monkeypatch.setattr(bot.http, "request", self.fake.http_request)
        self.monkeypatch.setattr(bot.http, "get_from_cdn", self.fake.get_from_cdn)
        fake = self.fake

        async def adapter_request(
            adapter: Any, route: Any, session: Any = None, **kwargs: Any
        ) -> Any:
            return await fake.webhook_request(adapter, route, session, **kwargs)

        self.monkeypatch.setattr(AsyncWebhookAdapter, "request", adapter_request)
        await bot.setup_hook()
        self.guild = state._add_guild_from_data(self._guild_payload())

    def _guild_payload(self) -> dict[str, Any]:
        channels = [
            {
                "id": str(channel),
                "type": 0,
                "name": "practice" if channel == CHANNEL_ID else "daily",
                "position": position,
                "guild_id": str(GUILD_ID),
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            }
            for position, channel in enumerate(TEXT_CHANNELS)
        ]
        return {
            "id": str(GUILD_ID),
            "name": "Study group",
            "owner_id": "1",
            "features": [],
            "emojis": [],
            "stickers": [],
            "member_count": 3,
            "members": [],
            "threads": list(self.fake.threads.values()),
            "roles": [
                {
                    "id": str(GUILD_ID),
                    "name": "@everyone",
                    "permissions": "1071698660929",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": channels,
            "premium_tier": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "preferred_locale": "en-US",
        }

    # -- events --------------------------------------------------------------------------------

    def _where(self, user_id: int, channel_id: int | None, dm: bool) -> dict[str, Any]:
        if dm:
            channel = channel_id or dm_channel_of(user_id)
            return {
                "user": user_payload(user_id),
                "context": 1,
                "channel_id": str(channel),
                "channel": {"id": str(channel), "type": 1, "recipients": [user_payload(user_id)]},
                "authorizing_integration_owners": {"1": str(user_id)},
            }
        channel = channel_id or CHANNEL_ID
        thread = self.fake.threads.get(channel)
        payload: dict[str, Any] = {
            "id": str(channel),
            "type": 11 if thread else 0,
            "guild_id": str(GUILD_ID),
            "name": "practice",
            "position": 0,
            "permission_overwrites": [],
            "parent_id": thread["parent_id"] if thread else None,
        }
        if thread:
            payload["thread_metadata"] = thread["thread_metadata"]
        return {
            "guild_id": str(GUILD_ID),
            "context": 0,
            "channel_id": str(channel),
            "channel": payload,
            "member": {
                "user": user_payload(user_id),
                "roles": [],
                "flags": 0,
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "permissions": str(
                    MEMBER_PERMISSIONS | (MANAGE_GUILD if user_id in self.managers else 0)
                ),
            },
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
        }

    def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        user_id: int,
        channel_id: int | None,
        dm: bool,
        **extra: Any,
    ) -> dict[str, Any]:
        interaction_id = snowflake()
        token = f"token-{interaction_id}"
        self.fake.interactions[token] = Interaction(user_id)
        return {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "data": data,
            "locale": "en-US",
            "app_permissions": "1071698660929",
            "entitlements": [],
            "attachment_size_limit": 8 * 1024 * 1024,
            **self._where(user_id, channel_id, dm),
            **extra,
        }

    async def slash(
        self,
        name: str,
        user_id: int,
        *,
        options: dict[str, Any] | None = None,
        sub: str | None = None,
        channel_id: int | None = None,
        dm: bool = False,
    ) -> list[Call]:
        opts = [
            {"name": k, "type": 4 if isinstance(v, int) else 3, "value": v}
            for k, v in (options or {}).items()
        ]
        if sub:
            opts = [{"name": sub, "type": 1, "options": opts}]
        data = {"id": str(snowflake()), "name": name, "type": 1, "options": opts}
        return await self.feed(self._interaction(2, data, user_id, channel_id, dm))

    async def autocomplete(
        self, name: str, user_id: int, focused: str, typed: str, **others: Any
    ) -> list[dict[str, Any]]:
        """The choices the bot offers while ``focused`` is being typed."""
        opts = [{"name": k, "type": 3, "value": v} for k, v in others.items()]
        opts.append({"name": focused, "type": 3, "value": typed, "focused": True})
        data = {"id": str(snowflake()), "name": name, "type": 1, "options": opts}
        calls = await self.feed(self._interaction(4, data, user_id, None, True))
        answer = next(c for c in calls if c.callback_type == 8)
        return answer.body["data"]["choices"]  # type: ignore[index]

    async def click(
        self, custom_id: str, user_id: int, *, channel_id: int | None = None, dm: bool = False
    ) -> list[Call]:
        # discord.py rebuilds the clicked message's view, so the button must be on it
        button = {"type": 2, "style": 2, "label": "button", "custom_id": custom_id}
        channel = channel_id or (dm_channel_of(user_id) if dm else CHANNEL_ID)
        message = self.fake._message(channel, {"components": [{"type": 1, "components": [button]}]})
        data = {"custom_id": custom_id, "component_type": 2}
        return await self.feed(self._interaction(3, data, user_id, channel_id, dm, message=message))

    async def choose(
        self,
        custom_id: str,
        values: list[str],
        user_id: int,
        *,
        channel_id: int | None = None,
        channels: bool = False,
    ) -> list[Call]:
        """Pick ``values`` in a select menu (``channels``: a channel menu, values are ids)."""
        kind = 8 if channels else 3
        menu: dict[str, Any] = {"type": kind, "custom_id": custom_id}
        if not channels:
            menu["options"] = [{"label": v, "value": v} for v in values] or [
                {"label": "x", "value": "x"}
            ]
        channel = channel_id or CHANNEL_ID
        message = self.fake._message(channel, {"components": [{"type": 1, "components": [menu]}]})
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind, "values": values}
        if channels:
            data["resolved"] = {
                "channels": {
                    v: {"id": v, "type": 0, "name": "c", "permissions": "0"} for v in values
                }
            }
        return await self.feed(
            self._interaction(3, data, user_id, channel_id, False, message=message)
        )

    def modal_submit_payload(
        self,
        modal_call: Call,
        values: list[str],
        user_id: int,
        *,
        channel_id: int | None = None,
        dm: bool = False,
    ) -> dict[str, Any]:
        modal = modal_call.body["data"]  # type: ignore[index]
        inputs = [cid for cid in modal_call.custom_ids() if cid != modal["custom_id"]]
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]}
            for cid, value in zip(inputs, values, strict=False)
        ]
        data = {"custom_id": modal["custom_id"], "components": rows}
        return self._interaction(5, data, user_id, channel_id, dm)

    async def submit_modal(
        self,
        modal_call: Call,
        values: list[str],
        user_id: int,
        *,
        channel_id: int | None = None,
        dm: bool = False,
    ) -> list[Call]:
        return await self.feed(
            self.modal_submit_payload(modal_call, values, user_id, channel_id=channel_id, dm=dm)
        )

    async def message(
        self,
        content: str,
        user_id: int,
        *,
        channel_id: int | None = None,
        dm: bool = False,
        attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
        mention_bot: bool = False,
        message_id: int | None = None,
        edit: bool = False,
    ) -> list[Call]:
        payload = self.message_payload(
            content,
            user_id,
            channel_id=channel_id,
            dm=dm,
            attachments=attachments,
            mention_bot=mention_bot,
            message_id=message_id,
            edit=edit,
        )
        start = len(self.fake.calls)
        if edit:
            self.bot._connection.parse_message_update(payload)
        else:
            self.bot._connection.parse_message_create(payload)
        await self.settle()
        return self.fake.calls[start:]

    def message_payload(
        self,
        content: str,
        user_id: int,
        *,
        channel_id: int | None = None,
        dm: bool = False,
        attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
        mention_bot: bool = False,
        message_id: int | None = None,
        edit: bool = False,
    ) -> dict[str, Any]:
        channel = channel_id or (dm_channel_of(user_id) if dm else CHANNEL_ID)
        files = []
        for name, data in attachments:
            url = f"https://cdn.example/{snowflake()}/{name}"
            ATTACHMENTS[url] = data
            kind = "image/png" if name.endswith(".png") else "text/plain"
            files.append(
                {
                    "id": str(snowflake()),
                    "filename": name,
                    "size": len(data),
                    "url": url,
                    "proxy_url": url,
                    "content_type": kind,
                }
            )
        payload: dict[str, Any] = {
            "id": str(message_id or snowflake()),
            "channel_id": str(channel),
            "author": user_payload(user_id),
            "content": content,
            "attachments": files,
            "embeds": [],
            "components": [],
            "timestamp": "2026-03-02T12:00:00+00:00",
            "edited_timestamp": datetime.now(UTC).isoformat() if edit else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [BOT_USER] if mention_bot else [],
            "mention_roles": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if not dm:
            payload["guild_id"] = str(GUILD_ID)
            payload["member"] = {
                "roles": [],
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        if dm and edit is False:
            self.bot._connection._private_channels_by_user.pop(user_id, None)
        return payload

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
            pending = [
                t for t in asyncio.all_tasks() if not t.done() and t.get_name().startswith(prefixes)
            ]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"tasks still running: {[t.get_name() for t in pending]}")
            await asyncio.wait(pending, timeout=max(0.01, deadline - time.monotonic()))

    # -- reading what was sent -----------------------------------------------------------------

    @staticmethod
    def seen_by(user_id: int, calls: list[Call]) -> list[Call]:
        """The messages among ``calls`` that ``user_id`` would read."""
        return [c for c in calls if c.visible_to(user_id)]

    @staticmethod
    def public(calls: list[Call]) -> list[Call]:
        return [c for c in calls if c.shows_message and not c.ephemeral and not c.deleted]


# -- a bot on real storage and the real sandbox -------------------------------------------------


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"cooldown_seconds": 0, "sandbox_pool_size": 2, **overrides}
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3",
        _env_file=None,
        **values,
    )


async def start_harness(
    tmp_path: Path,
    course: Curriculum,
    monkeypatch: Any,
    threads: dict[int, dict[str, Any]] | None = None,
    clock: Any = None,
    **settings: Any,
) -> DiscordHarness:
    """A bot on the data in ``tmp_path``; ``threads`` are those open before a restart;
    ``clock``: the services' clock (default: the real one)."""
    extra = {"clock": clock} if clock is not None else {}
    services = await build_services(settings_for(tmp_path, **settings), curriculum=course, **extra)
    harness = DiscordHarness(PyDojo(services, sync=False), monkeypatch, threads)
    await harness.start()
    return harness
