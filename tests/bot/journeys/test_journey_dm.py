"""Gil practises in DMs only, making the usual mistakes: wrong answers, a hidden edge case, all
three hints (read twice), the reference solution, files of the wrong kind, quotes for backticks,
a question. Each gets one clear answer; levels, XP and mastery follow what really happened."""

from __future__ import annotations

import logging

import pytest

from bot.db.models import Badge
from curriculum import Difficulty

from ..discord_harness import DiscordHarness, snowflake
from .conftest import BY_ID, block
from .story import answer, problem_posts, shown_problem, submissions, verdicts

pytestmark = pytest.mark.docker
GIL = 1021


async def test_journey_dm_only_practice(
    bot: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    first = await bot.slash("practice", GIL, dm=True)
    [post] = problem_posts(first)
    assert "Picked for your level: beginner" in post.text() and not post.ephemeral
    await bot.slash("practice", GIL, options={"problem": "w-add"}, dm=True)

    wrong = await bot.message(block("def add(a, b):\n    return a * b\n"), GIL, dm=True)
    [verdict] = verdicts(wrong)
    assert "Wrong answer on example 1" in verdict.text()
    assert "add(2, 3)" in verdict.text() and "Expected" in verdict.text()
    crash = await bot.message(block("def add(a, b):\n    return a / 0\n"), GIL, dm=True)
    [verdict] = verdicts(crash)
    assert "ZeroDivisionError" in verdict.text() and "on example 1" in verdict.text()
    assert "**Input**" in verdict.text() and "add(2, 3)" in verdict.text()
    hidden = await bot.message(
        block("def add(a, b):\n    return a + b if a >= 0 else b - a\n"), GIL, dm=True
    )
    [verdict] = verdicts(hidden)
    text = verdict.text()
    assert text.count("hidden test") == 1 and "That test checks: *a negative number*" in text
    assert "test 3" not in text and "/7" not in text  # which hidden test, or how many passed

    hints = [await bot.slash("hint", GIL, dm=True) for _ in range(4)]
    assert "Hint 1/3" in hints[0][-1].text() and "Hint 2/3" not in hints[0][-1].text()
    last = hints[3][-1].text()
    assert all(f"Hint {n}/3" in last for n in (1, 2, 3)) and "That was the last hint" in last
    revealed = await bot.slash("reveal", GIL, dm=True)
    assert "def add(a, b)" in revealed[-1].text() and "The idea" in revealed[-1].text()
    after_reveal = await bot.message(answer(bot, "w-add"), GIL, dm=True)
    [verdict] = verdicts(after_reveal)
    assert "Accepted" in verdict.text() and "you had seen the reference solution" in verdict.text()
    assert (await bot.bot.services.stats.stats(GIL)).xp == 0  # nothing earned after a reveal
    async with bot.bot.services.db.read() as session:
        assert await session.get(Badge, (GIL, "first-solve")) is None

    # Quotes for backticks: a nudge; the edited message gets its verdict in the same reply.
    quoted_id = snowflake()
    quoted = await bot.message(
        "'''py\ndef add(a, b):\n    return a + b\n'''", GIL, dm=True, message_id=quoted_id
    )
    [nudge] = [c for c in quoted if c.shows_message]
    assert "backticks" in nudge.text() and nudge.replies_to == quoted_id
    fixed = await bot.message(answer(bot, "w-add"), GIL, dm=True, message_id=quoted_id, edit=True)
    [edited] = [c for c in fixed if c.shows_message]
    assert edited.method == "PATCH" and "re-judged" in edited.text()
    assert "seen the reference solution" in edited.text()  # why no XP, said again

    picture = await bot.message("here", GIL, dm=True, attachments=[("shot.png", b"\x89PNG")])
    assert "can't read code from a picture" in picture[-1].text()
    text_file = await bot.message("", GIL, dm=True, attachments=[("solution.txt", b"x = 1\n")])
    assert "rename `solution.txt` to `solution.py`" in text_file[-1].text()
    question = await bot.message("how do I start this?", GIL, dm=True)
    assert "```py code block" in question[-1].text()
    assert await bot.message("thanks", GIL, dm=True) == []  # chat, not addressed to anything

    # Next stays in the DM; two more beginner solves unlock intermediate problems.
    for _ in range(2):
        moved = await bot.click("pydojo:next:practice", GIL, dm=True)
        [post] = problem_posts(moved)
        pid, seed = shown_problem(post)  # type: ignore[misc]
        assert BY_ID[pid].difficulty == "beginner"
        attached = await bot.message(
            "",
            GIL,
            dm=True,
            attachments=[("solution.py", answer(bot, pid, seed, as_block=False).encode())],
        )
        assert "Accepted" in verdicts(attached)[0].text()
    before = (await bot.bot.services.stats.stats(GIL)).modules[BY_ID[pid].module].totals
    again = await bot.message(answer(bot, pid, seed), GIL, dm=True)
    assert "you had solved this one before" in verdicts(again)[0].text()  # no XP twice, said so
    after = (await bot.bot.services.stats.stats(GIL)).modules[BY_ID[pid].module].totals
    assert after.attempts == before.attempts  # practising it again does not lower mastery
    fresh = await bot.slash("practice", GIL, dm=True)
    [post] = problem_posts(fresh)
    pid, _ = shown_problem(post)  # type: ignore[misc]
    assert BY_ID[pid].difficulty == Difficulty.INTERMEDIATE.value
    assert "Picked for your level: intermediate" in post.text()

    mention = await bot.message(answer(bot, pid), GIL, dm=True, mention_bot=True)
    assert "Accepted" in verdicts(mention)[0].text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    judged_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("judged")]
    assert f"judged user={GIL} problem={pid}@0 status=accepted passed=7/7" in judged_lines[-1]

    stored = await submissions(bot, GIL)
    assert [s[2] for s in stored[:4]] == [
        "wrong_answer",
        "runtime_error",
        "wrong_answer",
        "accepted",
    ]
    assert len(stored) == 9 and stored[-1] == (pid, 0, "accepted")
    history = await bot.slash("history", GIL, options={"page": 9}, dm=True)
    assert "Page 9 is past the end: you have 1 page" in history[-1].text()
    stats = await bot.bot.services.stats.stats(GIL)
    assert stats.solved == 4
