"""Bo lets auto mode choose, in his own thread, until a topic promotes him. Every problem of the
run lands in the same thread, every answer is judged against it, and the run never drops."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import AutoRun, Submission

from ..discord_harness import DiscordHarness
from .story import answer, created_threads, problem_posts, shown_problem, verdicts

pytestmark = pytest.mark.docker
BO = 1002
MAX_STEPS = 8  # promotion needs 3 in a row in one topic; two topics exist


async def test_journey_auto_mode_in_a_thread_through_a_promotion(bot: DiscordHarness) -> None:
    started = await bot.slash("auto", BO, sub="start")
    [thread] = created_threads(started)
    [post] = problem_posts(started)
    assert post.path == f"/channels/{thread}/messages" and "getting started" in post.text()
    assert started[-1].ephemeral and f"<#{thread}>" in started[-1].text()
    shown = [shown_problem(post)]
    promoted = None
    for _ in range(MAX_STEPS):
        pid, seed = shown[-1]  # type: ignore[misc]
        judged = await bot.message(answer(bot, pid, seed), BO, channel_id=thread)
        [verdict] = verdicts(judged)
        assert "Accepted" in verdict.text() and pid in verdict.text(), verdict.text()
        assert "pydojo:next:auto" in verdict.custom_ids()  # still in the run
        nxt = await bot.click("pydojo:next:auto", BO, channel_id=thread)
        [post] = problem_posts(nxt)
        assert not post.ephemeral and created_threads(nxt) == []  # same thread, in place
        shown.append(shown_problem(post))
        if "Promoted to **intermediate**" in verdict.text():
            promoted = post
            break
    assert promoted is not None, "no promotion"
    assert "promoted to intermediate" in promoted.text()
    pid, _ = shown[-1]  # type: ignore[misc]
    assert bot.bot.services.curriculum.problems[pid].difficulty.value == "intermediate"

    status = await bot.slash("auto", BO, sub="status", channel_id=thread)
    assert status[-1].ephemeral and "intermediate" in status[-1].text()
    assert "Warm-up › Basics" in status[-1].text() or "Text & Strings › Words" in status[-1].text()
    assert "warmup/" not in status[-1].text()  # titles, not slugs

    # Stored: one active run; every submission belongs to it and names the problem shown.
    async with bot.bot.services.db.read() as session:
        runs = list(await session.scalars(select(AutoRun).where(AutoRun.user_id == BO)))
        rows = (
            await session.execute(
                select(Submission.problem_id, Submission.auto_run_id, Submission.verdict)
                .where(Submission.user_id == BO)
                .order_by(Submission.id)
            )
        ).all()
    [run] = runs
    assert run.active and run.solved == len(rows) == len(shown) - 1
    assert [r.problem_id for r in rows] == [p for p, _ in shown[:-1]]  # type: ignore[misc]
    assert {r.auto_run_id for r in rows} == {run.id} and {r.verdict for r in rows} == {"accepted"}
