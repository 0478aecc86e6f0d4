"""Three learners answer the daily challenge three ways: Cy with **Submit** (a miss, a hint, a
refused reveal, then the answer), Di in the post's thread (a miss, the answer, the answer
again), and Ed, a newcomer, posts his answer in the daily channel itself. Each is judged and
counted once; no one else ever reads a solution that is not behind a spoiler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.models import DailyCompletion, Submission
from curriculum import Curriculum

from ..discord_harness import DAILY_CHANNEL_ID, GUILD_ID, Call, start_harness
from .conftest import BY_ID
from .story import answer, audit_all, shown_problem, verdicts

pytestmark = pytest.mark.docker
CY, DI, ED, OUTSIDER = 1601, 1602, 1603, 1699


def unspoiled(text: str) -> str:
    """``text`` with everything behind a spoiler taken out."""
    return re.sub(r"\|\|.*?\|\|", "", text, flags=re.DOTALL)


def only(calls: list[Call]) -> Call:
    [shown] = [c for c in calls if c.shows_message and not c.deleted]
    return shown


async def test_journey_the_daily_answered_three_ways(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start_harness(tmp_path, journey_course, monkeypatch, cooldown_seconds=3)
    try:
        services = bot.bot.services
        # The slot is this minute: due now, within the catch-up window at any hour of the day.
        await services.servers.update(
            GUILD_ID,
            daily_channel_id=DAILY_CHANNEL_ID,
            daily_time=services.clock().strftime("%H:%M"),
        )
        start = len(bot.fake.calls)
        await bot.bot.get_cog("DailyCog").post_due()
        post = next(
            c for c in bot.fake.calls[start:] if c.path == f"/channels/{DAILY_CHANNEL_ID}/messages"
        )
        pid, seed = shown_problem(post)  # type: ignore[misc]
        [thread] = list(bot.fake.threads)
        chat = {"channel_id": DAILY_CHANNEL_ID}

        # Cy, with Submit: everything private, the hint and the refused reveal too.
        modal = (await bot.click(f"pydojo:submit:{pid}:{seed}", CY, **chat))[0]
        wrong = answer(bot, pid, seed, right=False, as_block=False)
        [miss] = verdicts(await bot.submit_modal(modal, [wrong], CY, **chat))
        assert miss.ephemeral and "Wrong answer" in miss.text()
        hint = only(await bot.click(f"pydojo:hint:{pid}:{seed}", CY, **chat))
        assert hint.ephemeral and "Hint 1/3" in hint.text()
        refused = only(await bot.click(f"pydojo:reveal:{pid}:{seed}", CY, **chat))
        assert refused.ephemeral and "unlocks after" in refused.text()
        right = answer(bot, pid, seed, as_block=False)
        [won] = verdicts(await bot.submit_modal(modal, [right], CY, **chat))
        assert won.ephemeral and "solver #1" in won.text()

        # Di, in the thread: his code is hidden, the verdicts name him, the idea is spoilered.
        di_miss = await bot.message(answer(bot, pid, seed, right=False), DI, channel_id=thread)
        assert any(c.method == "DELETE" for c in di_miss)
        assert "Wrong answer" in verdicts(di_miss)[0].text()
        di_won = await bot.message(answer(bot, pid, seed), DI, channel_id=thread)
        [verdict] = verdicts(di_won)
        assert "solver #2" in verdict.text() and "**The idea:** ||" in verdict.text()
        again = await bot.message(answer(bot, pid, seed), DI, channel_id=thread)
        assert "solved this one before" in verdicts(again)[0].text()  # counted once

        # Ed posts his answer in the channel itself: judged and hidden like one in the thread.
        ed = await bot.message(answer(bot, pid, seed), ED, channel_id=DAILY_CHANNEL_ID)
        assert any(c.method == "DELETE" for c in ed)
        [verdict] = verdicts(ed)
        assert "<@1603>" in verdict.text() and "solver #3" in verdict.text()
        other = "```py\nprint('unrelated')\n```"
        assert await bot.message(other, ED, channel_id=DAILY_CHANNEL_ID) == []

        # Nothing anyone else could read shows the solution outside a spoiler.
        key_line = BY_ID[pid].solution
        for call in bot.fake.calls:
            if call.visible_to(OUTSIDER):
                assert key_line not in unspoiled(call.text()), call.text()
        async with services.db.read() as session:
            done = sorted(await session.scalars(select(DailyCompletion.user_id)))
            rows = (
                await session.execute(
                    select(Submission.user_id, Submission.verdict, Submission.daily_challenge_id)
                )
            ).all()
        assert done == [CY, DI, ED]
        assert len(rows) == 6 and None not in {r.daily_challenge_id for r in rows}
        board = only(await bot.slash("leaderboard", OUTSIDER, sub="daily"))
        assert all(f"<@{who}>" in board.text() for who in (CY, DI, ED))
        audit_all(bot)
    finally:
        await bot.bot.close()
