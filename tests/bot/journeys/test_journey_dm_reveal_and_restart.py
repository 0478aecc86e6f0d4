"""Kai practises in DMs only, under the default cooldown: the reveal refused, then earned with
three hints; a wrong answer after it; a solve without XP; Next to another problem (never the
one just done, even in a module of one); auto mode across a restart. Every reply fits
Discord, every interaction is answered once, and /stats and /history tell what happened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curriculum import Curriculum

from ..discord_harness import Call, start_harness
from .story import answer, audit_all, problem_posts, shown_problem, submissions

pytestmark = pytest.mark.docker
KAI = 1201


def said(calls: list[Call]) -> str:
    [shown] = [c for c in calls if c.shows_message and not c.deleted]
    return shown.text()


async def test_journey_dm_reveal_next_and_auto_across_a_restart(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await start_harness(tmp_path, journey_course, monkeypatch, cooldown_seconds=3)
    try:
        # x-hello is the only problem of its module.
        await before.slash("practice", KAI, options={"problem": "x-hello"}, dm=True)
        assert "unlocks after 2 failed attempts or 2 hints" in said(
            await before.slash("reveal", KAI, dm=True)
        )
        missed = said(await before.message(answer(before, "x-hello", right=False), KAI, dm=True))
        assert "Wrong answer" in missed and "Reveal** shows" not in missed
        hints = [said(await before.slash("hint", KAI, dm=True)) for _ in range(3)]
        assert "Reveal** shows the reference solution" not in hints[0]
        assert all(f"Hint {n}/3" in hints[2] for n in (1, 2, 3))
        revealed = said(await before.click("pydojo:reveal:x-hello:0", KAI, dm=True))
        assert "return 'Hello, ' + name" in revealed
        # After the reveal, a miss no longer offers the reveal as news.
        again = said(await before.message(answer(before, "x-hello", right=False), KAI, dm=True))
        assert "Wrong answer" in again and "Reveal** shows" not in again
        solved = said(await before.message(answer(before, "x-hello"), KAI, dm=True))
        assert "Accepted" in solved and "you had seen the reference solution" in solved
        assert (await before.bot.services.stats.stats(KAI)).xp == 0

        # Next: another problem, although x-hello's module has nothing else.
        moved = await before.click("pydojo:next:practice", KAI, dm=True)
        [post] = problem_posts(moved)
        nxt, _ = shown_problem(post)  # type: ignore[misc]
        assert nxt != "x-hello"
        skipped = await before.slash("skip", KAI, dm=True)
        [post] = problem_posts(skipped)
        assert shown_problem(post)[0] not in (nxt, "x-hello")  # type: ignore[index]

        started = await before.slash("auto", KAI, sub="start", dm=True)
        [post] = problem_posts(started)
        first, seed = shown_problem(post)  # type: ignore[misc]
        won = said(await before.message(answer(before, first, seed), KAI, dm=True))
        assert "Accepted" in won and "XP" in won
        audit_all(before)
    finally:
        await before.bot.close()

    after = await start_harness(tmp_path, journey_course, monkeypatch, cooldown_seconds=3)
    try:
        # The verdict's Next, pressed after the restart: the run goes on, with a new problem.
        resumed = await after.click("pydojo:next:auto", KAI, dm=True)
        [post] = problem_posts(resumed)
        second, seed = shown_problem(post)  # type: ignore[misc]
        assert second != first
        missed = said(await after.message(answer(after, second, seed, right=False), KAI, dm=True))
        assert re.search(r"Wrong answer|Runtime error", missed), missed  # as its wrong code fails
        assert "Accepted" in said(await after.message(answer(after, second, seed), KAI, dm=True))
        status = said(await after.slash("auto", KAI, sub="status", dm=True))
        assert "solved 2 of 3 attempts" in status
        assert "Now: nothing open" in status and "— —" not in status

        stored = await submissions(after, KAI)
        assert [v for _, _, v in stored][:4] == [
            "wrong_answer",
            "wrong_answer",
            "accepted",
            "accepted",
        ]
        assert stored[4][2] in ("wrong_answer", "runtime_error") and stored[5][2] == "accepted"
        stats = await after.bot.services.stats.stats(KAI)
        assert (stats.solved, stats.totals.attempts) == (3, 6)
        shown = said(await after.slash("stats", KAI, dm=True))
        assert "Solved **3** · attempts 6" in shown and f"{stats.xp}" in shown
        history = said(await after.slash("history", KAI, dm=True))
        assert "6 submissions" in history and len(re.findall(r"^[✅❌💥]", history, re.M)) == 6
        assert "`w-" not in history  # problems by their titles, not their ids
        audit_all(after)
    finally:
        await after.bot.close()
