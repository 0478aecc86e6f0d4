"""The daily challenge: posted on time with a thread, solved through its button, ranked."""

from __future__ import annotations

import pytest

from ..discord_harness import CHANNEL_ID, GUILD_ID, DiscordHarness

pytestmark = pytest.mark.docker


async def test_daily_challenge_is_posted_and_ranks_solvers(discord_bot: DiscordHarness) -> None:
    services = discord_bot.bot.services
    await services.users.update_guild(GUILD_ID, daily_channel_id=CHANNEL_ID, daily_time="00:00")
    cog = discord_bot.bot.get_cog("DailyCog")
    start = len(discord_bot.fake.calls)
    await cog.post_due()  # what the minute loop does
    calls = discord_bot.fake.calls[start:]
    post = next(c for c in calls if c.path == f"/channels/{CHANNEL_ID}/messages")
    assert "Today's challenge" in post.text() and "Next one <t:" in post.text()
    assert any(c.path.endswith("/threads") for c in calls)
    await cog.post_due()  # not twice in a day
    assert len([c for c in discord_bot.fake.calls[start:] if c.path.endswith("/messages")]) == 1

    submit_id = next(i for i in post.custom_ids() if i.startswith("pydojo:submit:"))
    problem_id = submit_id.split(":")[2]
    modal = await discord_bot.click(submit_id, 21)
    judged = await discord_bot.submit_modal(modal[0], ["def add(a, b):\n    return a + b\n"], 21)
    assert "solver #1" in judged[-1].text() and "Early bird" in judged[-1].text()
    board = await discord_bot.slash("leaderboard", 22, options={"period": "daily"})
    assert "<@21>" in board[-1].text()
    today = await discord_bot.slash("daily", 22, sub="today")
    assert problem_id in today[-1].text() and today[-1].ephemeral
