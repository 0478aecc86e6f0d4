"""Lia and Mo practise in the same channel, each in their own thread, under the default
cooldown. Their messages and clicks arrive at the same moment: Lia sends a miss and then the
answer, Mo a miss, and Lia presses Hint on Mo's problem in Mo's thread meanwhile. Each thread
keeps standing for the problem it shows, each message gets one answer, Mo's edit re-judges his
miss in place; and Lia's Next pressed in Mo's thread lands in her own, which stays on the
problem it shows though she presses Hint in Mo's thread before Discord has posted it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from curriculum import Curriculum

from ..discord_harness import Call, DiscordHarness, snowflake, start_harness
from .story import (
    answer,
    audit_all,
    created_threads,
    problem_posts,
    shown_problem,
    submissions,
    thread_row,
    verdicts,
)

pytestmark = pytest.mark.docker
LIA, MO = 1301, 1302
NEXT = "pydojo:next:practice"


def click_payload(bot: DiscordHarness, custom_id: str, user: int, channel: int) -> dict[str, Any]:
    button = {"type": 2, "style": 2, "label": "button", "custom_id": custom_id}
    message = bot.fake._message(channel, {"components": [{"type": 1, "components": [button]}]})
    data = {"custom_id": custom_id, "component_type": 2}
    return bot._interaction(3, data, user, channel, False, message=message)


def posted_in(calls: list[Call], channel: int) -> bool:
    return any(c.method == "POST" and c.path == f"/channels/{channel}/messages" for c in calls)


async def until(condition: Callable[[], bool], limit: float = 60) -> None:
    """Let the bot run until ``condition`` holds (``limit`` only stops a hang)."""
    for _ in range(int(limit * 100)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the bot never got there")  # pragma: no cover


def answers_to(calls: list[Call], message_id: int) -> list[Call]:
    """Replies to a message, and reactions on it."""
    return [
        c
        for c in calls
        if c.replies_to == message_id or (c.reaction and f"/messages/{message_id}/" in c.path)
    ]


async def test_journey_two_learners_at_once_in_one_channel(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start_harness(tmp_path, journey_course, monkeypatch, cooldown_seconds=3)
    try:
        await _journey(bot)
    finally:
        await bot.bot.close()


async def _journey(bot: DiscordHarness) -> None:
    started = await bot.slash("practice", LIA, options={"module": "warmup"})
    [lia_thread] = created_threads(started)
    lia_problem, lia_seed = shown_problem(problem_posts(started)[0])  # type: ignore[misc]
    started = await bot.slash("practice", MO, options={"module": "text"})
    [mo_thread] = created_threads(started)
    mo_problem, mo_seed = shown_problem(problem_posts(started)[0])  # type: ignore[misc]

    # Everything at once.
    lia_miss, mo_miss, lia_right = snowflake(), snowflake(), snowflake()
    connection = bot.bot._connection

    def arrives(code: str, user: int, thread: int, message_id: int) -> None:
        """A message handed to the bot as the gateway would, without waiting for its answer."""
        payload = bot.message_payload(code, user, channel_id=thread, message_id=message_id)
        connection.parse_message_create(payload)

    start = len(bot.fake.calls)
    arrives(answer(bot, lia_problem, lia_seed, right=False), LIA, lia_thread, lia_miss)
    arrives(answer(bot, mo_problem, mo_seed, right=False), MO, mo_thread, mo_miss)
    hint = click_payload(bot, f"pydojo:hint:{mo_problem}:{mo_seed}", LIA, mo_thread)
    connection.parse_interaction_create(hint)
    arrives(answer(bot, lia_problem, lia_seed), LIA, lia_thread, lia_right)
    await bot.settle()
    calls = bot.fake.calls[start:]

    [hinted] = [c for c in calls if c.user == LIA and c.shows_message]
    assert hinted.ephemeral and "Hint 1/3" in hinted.text()
    for message_id in (lia_miss, mo_miss, lia_right):
        assert len(answers_to(calls, message_id)) == 1, message_id
    [lia_verdict] = answers_to(calls, lia_right)
    assert "Accepted" in lia_verdict.text() and lia_problem in lia_verdict.text()
    [mo_verdict] = answers_to(calls, mo_miss)
    assert "Accepted" not in mo_verdict.text() and mo_problem in mo_verdict.text()
    # Lia's thread still stands for her problem, Mo's for his, whatever the order of events.
    assert (await thread_row(bot, lia_thread)).problem_id == lia_problem  # type: ignore[union-attr]
    assert (await thread_row(bot, mo_thread)).problem_id == mo_problem  # type: ignore[union-attr]
    assert {p for p, _, _ in await submissions(bot, LIA)} == {lia_problem}

    # Mo fixes his miss by editing it: re-judged in place, after the cooldown.
    fixed = await bot.message(
        answer(bot, mo_problem, mo_seed), MO, channel_id=mo_thread, message_id=mo_miss, edit=True
    )
    [edited] = [c for c in fixed if c.shows_message]
    assert edited.method == "PATCH" and "Accepted" in edited.text()
    [(_, _, missed), (_, _, solved)] = await submissions(bot, MO)
    assert missed != "accepted" and solved == "accepted"

    # Lia presses Next in Mo's thread: her new problem goes to her own thread. Discord is slow
    # to post it, and meanwhile she presses Hint on Mo's problem there: her thread stands for
    # the problem it shows, not for the one her hint made current.
    held = bot.fake.held[lia_thread] = asyncio.Event()
    start = len(bot.fake.calls)
    connection.parse_interaction_create(click_payload(bot, NEXT, LIA, mo_thread))
    await until(lambda: posted_in(bot.fake.calls[start:], lia_thread))
    hinting = len(bot.fake.calls)
    hint = click_payload(bot, f"pydojo:hint:{mo_problem}:{mo_seed}", LIA, mo_thread)
    connection.parse_interaction_create(hint)
    await until(lambda: any(c.user == LIA and c.shows_message for c in bot.fake.calls[hinting:]))
    del bot.fake.held[lia_thread]
    held.set()
    await bot.settle()
    moved = bot.fake.calls[start:]
    [post] = problem_posts(moved)
    assert post.path == f"/channels/{lia_thread}/messages"
    assert not posted_in(moved, mo_thread)
    shown, seed = shown_problem(post)  # type: ignore[misc]
    assert shown != lia_problem
    assert (await thread_row(bot, lia_thread)).problem_id == shown  # type: ignore[union-attr]
    assert (await thread_row(bot, mo_thread)).problem_id == mo_problem  # type: ignore[union-attr]
    [verdict] = verdicts(await bot.message(answer(bot, shown, seed), LIA, channel_id=lia_thread))
    assert "Accepted" in verdict.text() and shown in verdict.text()
    audit_all(bot)
