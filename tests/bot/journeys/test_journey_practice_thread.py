"""Ada practises in her own thread: three problems, moving on with Next and /skip, answering
with code blocks and the Submit modal. Every answer is judged against the problem on screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import PracticeThread

from ..discord_harness import CHANNEL_ID, DiscordHarness
from .conftest import BY_ID
from .story import (
    answer,
    created_threads,
    problem_posts,
    session_of,
    shown_problem,
    submissions,
    thread_row,
    verdicts,
)

pytestmark = pytest.mark.docker
ADA = 1001


async def test_journey_three_problems_in_one_thread_via_next_and_skip(bot: DiscordHarness) -> None:
    # The module typed as the menu shows it; a newcomer gets a beginner problem.
    start = await bot.slash("practice", ADA, options={"module": "Warm-up"})
    assert start[0].callback_type == 5  # deferred before anything slow
    [thread] = created_threads(start)
    [post] = problem_posts(start)
    assert post.path == f"/channels/{thread}/messages" and not post.ephemeral
    first, seed = shown_problem(post)  # type: ignore[misc]
    assert (
        BY_ID[first].difficulty == "beginner" and "Picked for your level: beginner" in post.text()
    )
    assert "code block here" in post.text()
    pointer = start[-1]
    assert f"<#{thread}>" in pointer.text() and pointer.ephemeral and pointer.user == ADA
    assert bot.public(start) == [post]  # the channel itself only gains the thread

    missed = await bot.message(answer(bot, first, seed, right=False), ADA, channel_id=thread)
    [verdict] = verdicts(missed)
    assert "Wrong answer on example 1" in verdict.text() and "Expected" in verdict.text()
    solved = await bot.message(answer(bot, first, seed), ADA, channel_id=thread)
    [verdict] = verdicts(solved)
    assert "Accepted" in verdict.text() and "**The idea:** ||" in verdict.text()
    assert "pydojo:next:practice" in verdict.custom_ids()

    # Next, in the thread: the new problem comes here, and the thread now stands for it.
    moved = await bot.click("pydojo:next:practice", ADA, channel_id=thread)
    [post] = problem_posts(moved)
    second, _ = shown_problem(post)  # type: ignore[misc]
    assert second != first and BY_ID[second].module == "warmup" and not post.ephemeral
    assert created_threads(moved) == [] and not any("/threads" in c.path for c in moved)
    row = await thread_row(bot, thread)
    assert row is not None and row.problem_id == second
    judged = await bot.message(answer(bot, second), ADA, channel_id=thread)
    [verdict] = verdicts(judged)
    assert "Accepted" in verdict.text() and second in verdict.text()  # not the first problem

    # /skip from the thread: a third problem, here again.
    skipped = await bot.slash("skip", ADA, channel_id=thread)
    [post] = problem_posts(skipped)
    third, _ = shown_problem(post)  # type: ignore[misc]
    assert third not in (first, second)
    assert (await thread_row(bot, thread)).problem_id == third  # type: ignore[union-attr]

    # The Submit modal on the third problem: its own title and a runnable prefill.
    modal = await bot.click(f"pydojo:submit:{third}:0", ADA, channel_id=thread)
    assert modal[0].callback_type == 9
    form = modal[0].body["data"]  # type: ignore[index]
    assert len(form["title"]) <= 45 and "{{" not in str(form)
    answered = await bot.submit_modal(
        modal[0], [answer(bot, third, as_block=False)], ADA, channel_id=thread
    )
    [verdict] = verdicts(answered)
    assert "Accepted" in verdict.text() and not verdict.ephemeral  # her thread, her record

    # What is stored: four judged answers, each against the problem that was on screen.
    assert await submissions(bot, ADA) == [
        (first, seed, "wrong_answer"),
        (first, seed, "accepted"),
        (second, 0, "accepted"),
        (third, 0, "accepted"),
    ]
    current = await session_of(bot, ADA)
    assert current is not None and (current.problem_id, current.thread_id) == (third, thread)
    stats = await bot.bot.services.stats.stats(ADA)
    assert stats.solved == 3 and stats.weakest == ["warmup"]  # 3 solves in 4 attempts

    # Back in the channel, /practice again reuses her open thread.
    again = await bot.slash("practice", ADA, channel_id=CHANNEL_ID)
    assert created_threads(again) == []
    [post] = problem_posts(again)
    assert post.path == f"/channels/{thread}/messages"
    async with bot.bot.services.db.read() as session:
        threads = list(
            await session.scalars(
                select(PracticeThread.thread_id).where(PracticeThread.user_id == ADA)
            )
        )
    assert threads == [thread]
