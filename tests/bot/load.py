"""The Discord load the test and ``bench/discord_bench.py`` both run: twenty learners, five
rounds, each learner's message of a round in flight at once (half right, half wrong)."""

from __future__ import annotations

import asyncio

from .discord_harness import DiscordHarness, snowflake

GOOD = "```py\ndef add(a, b):\n    return a + b\n```"
BAD = "```py\ndef add(a, b):\n    return a - b\n```"
USERS = tuple(range(100, 120))
ROUNDS = 5


async def start_learners(harness: DiscordHarness, problem: str = "a-basics-b0") -> None:
    for user in USERS:
        await harness.slash("practice", user, options={"problem": problem}, dm=True)


async def submission_rounds(harness: DiscordHarness) -> dict[int, list[str]]:
    """The text of every reply, by the id of the message it answers."""
    replies: dict[int, list[str]] = {}
    for round_ in range(ROUNDS):
        start = len(harness.fake.calls)
        pending = []
        for user in USERS:
            message_id = snowflake()
            replies[message_id] = []
            source = (GOOD, BAD)[(user + round_) % 2]
            pending.append(
                asyncio.ensure_future(harness.message(source, user, dm=True, message_id=message_id))
            )
        await asyncio.gather(*pending)
        await harness.settle(limit=120)
        for call in harness.fake.calls[start:]:
            if call.replies_to in replies:
                replies[call.replies_to].append(call.text())
    return replies
