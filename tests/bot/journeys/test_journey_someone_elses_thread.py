"""Ben presses the buttons in Ada's thread. He gets his own answers, privately; Ada's thread
and Ada's problem stay hers."""

from __future__ import annotations

import pytest

from ..discord_harness import DiscordHarness
from .story import (
    answer,
    created_threads,
    problem_posts,
    session_of,
    submissions,
    thread_row,
    verdicts,
)

pytestmark = pytest.mark.docker
ADA, BEN = 1011, 1012


async def test_journey_a_second_learner_in_someone_elses_thread(bot: DiscordHarness) -> None:
    started = await bot.slash("practice", ADA, options={"problem": "w-add"})
    [ada_thread] = created_threads(started)
    await bot.message(answer(bot, "w-add", right=False), ADA, channel_id=ada_thread)

    # Next on Ada's verdict: Ben's new problem (after his own, in another module) goes to
    # Ben's own thread, not Ada's.
    await bot.slash("practice", BEN, options={"problem": "t-first"}, dm=True)
    nxt = await bot.click("pydojo:next:practice", BEN, channel_id=ada_thread)
    [ben_thread] = created_threads(nxt)
    [post] = problem_posts(nxt)
    assert ben_thread != ada_thread and post.path == f"/channels/{ben_thread}/messages"
    assert nxt[-1].ephemeral and nxt[-1].user == BEN and f"<#{ben_thread}>" in nxt[-1].text()
    assert not any(c.path == f"/channels/{ada_thread}/messages" for c in nxt)
    ben_problem = (await session_of(bot, BEN)).problem_id  # type: ignore[union-attr]

    # Hint on Ada's problem: private to Ben, and it says his current problem changed.
    hint = await bot.click("pydojo:hint:w-add:0", BEN, channel_id=ada_thread)
    [shown] = [c for c in hint if c.shows_message]
    assert shown.ephemeral and shown.user == BEN and "Hint 1/3" in shown.text()
    assert ben_problem.startswith("t-") and "now your current problem" in shown.text()
    ada = await session_of(bot, ADA)
    assert ada is not None and (ada.problem_id, ada.failed_attempts, ada.hints_shown) == (
        "w-add",
        1,
        0,
    )

    # His code posted in Ada's thread is not judged; he is told whose thread it is.
    posted = await bot.message(answer(bot, "w-add"), BEN, channel_id=ada_thread)
    [reply] = [c for c in posted if c.shows_message]
    assert "<@1011>'s practice thread" in reply.text() and "Submit" in reply.text()
    assert await submissions(bot, BEN) == []

    # Submit on Ada's problem: Ben's answer, judged for Ben, seen by Ben alone.
    modal = await bot.click("pydojo:submit:w-add:0", BEN, channel_id=ada_thread)
    judged = await bot.submit_modal(
        modal[0], [answer(bot, "w-add", as_block=False)], BEN, channel_id=ada_thread
    )
    [verdict] = verdicts(judged)
    assert verdict.ephemeral and verdict.user == BEN and "Accepted" in verdict.text()
    assert verdicts(bot.seen_by(ADA, judged)) == []
    assert await submissions(bot, BEN) == [("w-add", 0, "accepted")]

    # Ada's thread still stands for her problem, and her answer is judged against it.
    row = await thread_row(bot, ada_thread)
    assert row is not None and (row.user_id, row.problem_id) == (ADA, "w-add")
    mine = await bot.message(answer(bot, "w-add"), ADA, channel_id=ada_thread)
    [verdict] = verdicts(mine)
    assert "Accepted" in verdict.text() and "w-add" in verdict.text() and not verdict.ephemeral
    assert await submissions(bot, ADA) == [("w-add", 0, "wrong_answer"), ("w-add", 0, "accepted")]
    ben_row = await thread_row(bot, ben_thread)
    assert ben_row is not None and ben_row.user_id == BEN
