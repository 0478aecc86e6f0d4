"""Reading a journey back: what was posted where, which problem a message shows, what is stored."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.db.models import PracticeSession, PracticeThread, Submission
from curriculum import variant_text

from ..discord_harness import Call, DiscordHarness
from .conftest import block, solution, wrong

PROBLEM_BUTTON = re.compile(r"pydojo:(?:submit|hint|reveal):(?P<pid>[a-z0-9-]+):(?P<seed>\d+)")


def answer(
    bot: DiscordHarness, pid: str, seed: int = 0, *, right: bool = True, as_block: bool = True
) -> str:
    """Code for the variant on screen: a template's constants as its starter fills them."""
    starter = variant_text(bot.bot.services.curriculum.problems[pid], seed).starter
    prelude = starter.split("def ")[0].lstrip("\n")
    code = (solution if right else wrong)(pid, prelude)
    return block(code) if as_block else code


def shown_problem(call: Call) -> tuple[str, int] | None:
    """(problem id, seed) the buttons of a message act on."""
    for custom_id in call.custom_ids():
        match = PROBLEM_BUTTON.fullmatch(custom_id)
        if match:
            return match["pid"], int(match["seed"])
    return None


def problem_posts(calls: list[Call]) -> list[Call]:
    """Messages that put a problem on screen (an embed with Starter code and buttons)."""
    return [c for c in calls if c.shows_message and "Starter code" in c.text()]


def verdicts(calls: list[Call]) -> list[Call]:
    marks = ("Accepted", "Wrong answer", "Runtime error", "Syntax error", "Time limit")
    return [
        c
        for c in calls
        if c.shows_message and any(m in c.text() for m in marks) and "Starter code" not in c.text()
    ]


def channel_of(call: Call) -> int | None:
    """The channel a channel-message call posted in (None for interaction responses)."""
    match = re.match(r"/channels/(\d+)/messages", call.path)
    return int(match[1]) if match else None


def created_threads(calls: list[Call]) -> list[int]:
    return [int(c.path.split("/")[2]) for c in calls if "/thread-members/" in c.path]


async def submissions(bot: DiscordHarness, user: int) -> list[tuple[str, int, str]]:
    """(problem id, seed, verdict) of every stored submission of ``user``, oldest first."""
    async with bot.bot.services.db.read() as session:
        rows = await session.execute(
            select(Submission.problem_id, Submission.variant_seed, Submission.verdict)
            .where(Submission.user_id == user)
            .order_by(Submission.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def stored(bot: DiscordHarness, model: Any, key: Any) -> Any:
    async with bot.bot.services.db.read() as session:
        return await session.get(model, key)


async def session_of(bot: DiscordHarness, user: int) -> PracticeSession | None:
    return await stored(bot, PracticeSession, user)


async def thread_row(bot: DiscordHarness, thread_id: int) -> PracticeThread | None:
    return await stored(bot, PracticeThread, thread_id)


def _component_problems(components: list[dict[str, Any]]) -> list[str]:
    """What breaks Discord's component limits in ``components``, walked to any depth."""
    found = []
    for component in components:
        label = component.get("label") or ""
        if len(label) > 80:
            found.append(f"button label {len(label)} > 80")
        if len(component.get("custom_id") or "") > 100:
            found.append("custom id > 100")
        options = component.get("options") or []
        if len(options) > 25:
            found.append(f"{len(options)} select options > 25")
        for option in options:
            for key in ("label", "value", "description"):
                if len(option.get(key) or "") > 100:
                    found.append(f"select option {key} > 100")
        if component.get("type") == 4 and len(component.get("value") or "") > 4000:
            found.append("text input value > 4000")
        found += _component_problems(component.get("components") or [])
    return found


def limit_problems(call: Call) -> list[str]:
    """Every way ``call`` would be refused by Discord for its size (empty when it fits)."""
    body = call.body or {}
    message = call.message or {}
    found = []
    if call.callback_type == 9:  # a modal
        if len(message.get("title") or "") > 45:
            found.append(f"modal title {len(message['title'])} > 45")
        return found + _component_problems(message.get("components") or [])
    if call.callback_type == 8:
        for choice in (body.get("data") or {}).get("choices") or []:
            if len(choice.get("name") or "") > 100 or len(str(choice.get("value"))) > 100:
                found.append("autocomplete choice > 100")
        return found
    if len(message.get("content") or "") > 2000:
        found.append(f"content {len(message['content'])} > 2000")
    embeds = message.get("embeds") or []
    total = 0
    for embed in embeds:
        title, description = embed.get("title") or "", embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        fields = embed.get("fields") or []
        if len(title) > 256:
            found.append(f"embed title {len(title)} > 256")
        if len(description) > 4096:
            found.append(f"embed description {len(description)} > 4096")
        if len(fields) > 25:
            found.append(f"{len(fields)} fields > 25")
        for f in fields:
            if len(f.get("name") or "") > 256 or len(f.get("value") or "") > 1024:
                found.append(f"field {f.get('name')!r} too long")
        if len(footer) > 2048:
            found.append("footer > 2048")
        total += len(title) + len(description) + len(footer)
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
        total += len((embed.get("author") or {}).get("name") or "")
    if total > 6000:
        found.append(f"embeds total {total} > 6000")
    return found + _component_problems(message.get("components") or [])


def audit(calls: list[Call]) -> None:
    """Each call fits Discord's limits, and each interaction got exactly one initial response."""
    oversized = {c.path: p for c in calls if (p := limit_problems(c))}
    assert not oversized, oversized
    responses: dict[str, int] = {}
    for call in calls:
        if call.path.endswith("/callback"):
            responses[call.path] = responses.get(call.path, 0) + 1
    twice = [path for path, count in responses.items() if count != 1]
    assert not twice, twice


def audit_all(bot: DiscordHarness) -> None:
    """``audit`` over everything the bot sent, and no interaction went unanswered."""
    audit(bot.fake.calls)
    answered = {c.path.split("/")[3] for c in bot.fake.calls if c.path.endswith("/callback")}
    unanswered = [token for token in bot.fake.interactions if token not in answered]
    assert not unanswered, unanswered
