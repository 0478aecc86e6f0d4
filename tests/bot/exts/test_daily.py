"""The daily challenge: posted on time with a thread, solved through its button, ranked."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from bot.services.cards import board_card_size
from curriculum import Curriculum

from ..conftest import FakeClock
from ..discord_harness import CHANNEL_ID, GUILD_ID, DiscordHarness, start_harness

pytestmark = pytest.mark.docker


async def test_daily_challenge_is_posted_and_ranks_solvers(discord_bot: DiscordHarness) -> None:
    services = discord_bot.bot.services
    # The slot is this minute: due now, within the catch-up window at any hour of the day.
    await services.servers.update(
        GUILD_ID, daily_channel_id=CHANNEL_ID, daily_time=services.clock().strftime("%H:%M")
    )
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
    board = await discord_bot.slash("leaderboard", 22, sub="daily")
    assert "<@21>" in board[-1].text()
    today = await discord_bot.slash("daily", 22, sub="today")
    assert problem_id in today[-1].text() and today[-1].ephemeral


async def test_the_next_post_shows_yesterdays_results_with_a_picture(
    tmp_path: Path, course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC))
    bot = await start_harness(tmp_path, course, monkeypatch, clock=clock)
    try:
        services = bot.bot.services
        await services.servers.update(GUILD_ID, daily_channel_id=CHANNEL_ID, daily_time="09:00")
        cog = bot.bot.get_cog("DailyCog")
        start = len(bot.fake.calls)
        await cog.post_due()
        post = next(
            c for c in bot.fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"
        )
        assert not post.files  # nothing before the first day
        submit_id = next(i for i in post.custom_ids() if i.startswith("pydojo:submit:"))
        modal = await bot.click(submit_id, 21)
        clock.advance(minutes=4)
        await bot.submit_modal(modal[0], ["def add(a, b):\n    return a + b\n"], 21)
        clock.now = datetime(2026, 3, 3, 9, 0, 10, tzinfo=UTC)
        start = len(bot.fake.calls)
        await cog.post_due()
        [second] = [
            c for c in bot.fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"
        ]
        assert "Yesterday's results" in second.text() and "<@21>" in second.text()
        [image] = second.files
        assert image.filename == "daily-results.png"
        assert second.message["embeds"][1]["image"]["url"] == "attachment://daily-results.png"
        picture = Image.open(io.BytesIO(second.file_bytes()))
        assert picture.format == "PNG" and picture.size == board_card_size(1)
    finally:
        await bot.bot.close()


async def test_managers_post_now_ping_a_role_and_pause_it(
    tmp_path: Path, course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 16:00: the bot was away at 09:00, longer ago than a missed slot is caught up
    clock = FakeClock(datetime(2026, 3, 2, 16, 0, tzinfo=UTC))
    bot = await start_harness(tmp_path, course, monkeypatch, clock=clock)
    manager, member, role = 31, 32, 555
    try:
        services = bot.bot.services
        await services.servers.update(
            GUILD_ID, daily_channel_id=CHANNEL_ID, daily_time="09:00", daily_role_id=role
        )
        refused = await bot.slash("daily", member, sub="now")
        assert all(c.ephemeral for c in refused if c.shows_message)
        bot.managers.add(manager)
        cog = bot.bot.get_cog("DailyCog")
        await cog.post_due()  # too late to catch up by itself
        assert not [c for c in bot.fake.calls if c.path == f"/channels/{CHANNEL_ID}/messages"]

        start = len(bot.fake.calls)
        told = await bot.slash("daily", manager, sub="now")
        [post] = [c for c in bot.fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"]
        assert f"<@&{role}>" in post.text()  # the role is pinged on the post
        assert told[-1].ephemeral
        again = await bot.slash("daily", manager, sub="now")
        assert "posted already" in again[-1].text()
        clock.advance(hours=1)
        start = len(bot.fake.calls)
        await cog.post_due()  # today's slot was taken by /daily now: not twice
        assert not [
            c for c in bot.fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"
        ]

        # Solving counts once per learner per day, however often they answer.
        submit_id = next(i for i in post.custom_ids() if i.startswith("pydojo:submit:"))
        for _ in range(2):
            modal = await bot.click(submit_id, member)
            await bot.submit_modal(modal[0], ["def add(a, b):\n    return a + b\n"], member)
        board = await bot.slash("leaderboard", manager, sub="daily")
        assert board[-1].text().count(f"<@{member}>") == 1

        paused = await bot.slash("daily", manager, sub="disable")
        assert "paused" in paused[-1].text() and paused[-1].ephemeral
        clock.advance(days=1)
        start = len(bot.fake.calls)
        await cog.post_due()
        assert not [
            c for c in bot.fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"
        ]
    finally:
        await bot.bot.close()


async def test_posted_now_before_its_slot_it_is_today_s_and_the_slot_posts_nothing(
    tmp_path: Path, course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 07:00 in Berlin, the slot at 18:00: a manager sets the daily up and posts it at once.
    clock = FakeClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
    bot = await start_harness(tmp_path, course, monkeypatch, clock=clock)
    manager = 41
    bot.managers.add(manager)
    try:
        services = bot.bot.services
        await services.servers.update(
            GUILD_ID, daily_channel_id=CHANNEL_ID, daily_time="18:00", time_zone="Europe/Berlin"
        )
        cog = bot.bot.get_cog("DailyCog")

        def posts(start: int) -> list:  # type: ignore[type-arg]
            return [
                c for c in bot.fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"
            ]

        await bot.slash("daily", manager, sub="now")
        assert len(posts(0)) == 1
        posted = await services.daily.current(GUILD_ID)
        assert posted.day == datetime(2026, 3, 2).date() and posted.message_id is not None
        today = await bot.slash("daily", manager, sub="today")
        assert posted.problem_id in " ".join(today[-1].custom_ids())  # the one just posted

        clock.now = datetime(2026, 3, 2, 17, 1, tzinfo=UTC)  # 18:01 in Berlin
        start = len(bot.fake.calls)
        await cog.post_due()
        assert posts(start) == []  # today's is out already: not a second one today
        assert (await services.daily.current(GUILD_ID)).id == posted.id

        clock.now = datetime(2026, 3, 3, 17, 1, tzinfo=UTC)  # the next day's slot
        start = len(bot.fake.calls)
        await cog.post_due()
        [nxt] = posts(start)
        assert "Yesterday's results" in nxt.text()
        assert (await services.daily.current(GUILD_ID)).day == datetime(2026, 3, 3).date()
    finally:
        await bot.bot.close()
