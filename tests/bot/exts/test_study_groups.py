"""Study groups through real discord.py objects and a fake Discord: settings (who may change
them and what a change does), paged boards with ties and one's own place, hiding, and the
pictures /stats and /leaderboard attach."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from bot.services.cards import board_card_size, stats_card_size
from bot.services.progress import SubmissionIn
from curriculum import Curriculum
from tests.bot.discord_harness import GUILD_ID, Call, DiscordHarness, dm_channel_of, start_harness

from ..conftest import FakeClock, verdict

MANAGER, MEMBER = 501, 502
GOOD = "```py\ndef add(a, b):\n    return a + b\n```"


def picture(call: Call, name: str) -> Image.Image:
    """The PNG attached as ``name``, which the message's embed shows."""
    [index] = [i for i, f in enumerate(call.files) if f.filename == name]
    embeds = call.message.get("embeds") or []
    assert any((e.get("image") or {}).get("url") == f"attachment://{name}" for e in embeds)
    image = Image.open(io.BytesIO(call.file_bytes(index)))
    image.load()
    assert image.format == "PNG"
    return image


def answer(calls: list[Call]) -> Call:
    return next(c for c in reversed(calls) if c.shows_message)


async def solve(bot: DiscordHarness, user: int, pid: str) -> None:
    """A solve in this server, recorded as the judge would record it."""
    services = bot.bot.services
    await services.progress.record(
        SubmissionIn(
            user_id=user,
            problem=services.curriculum.problems[pid],
            source="s",
            verdict=verdict(),
            guild_id=GUILD_ID,
            context="guild",
        )
    )


async def test_settings_are_for_managers_and_a_change_takes_effect_at_once(
    discord_bot: DiscordHarness,
) -> None:
    refused = await discord_bot.slash("settings", MEMBER)
    assert all(c.ephemeral for c in refused if c.shows_message)
    assert "Manage Server" in answer(refused).text()
    discord_bot.managers.add(MANAGER)
    shown = await discord_bot.slash("settings", MANAGER)
    assert answer(shown).ephemeral and "pydojo:set:threads:1" in answer(shown).custom_ids()
    # A member who gets hold of the buttons still cannot change anything.
    pressed = await discord_bot.click("pydojo:set:threads:1", MEMBER)
    assert answer(pressed).ephemeral and "Manage Server" in answer(pressed).text()
    assert (await discord_bot.bot.services.servers.get(GUILD_ID)).practice_threads
    # The manager switches practice threads off: the very next /practice posts in the channel.
    switched = await discord_bot.click("pydojo:set:threads:1", MANAGER)
    assert "pydojo:set:threads:0" in answer(switched).custom_ids()
    assert not (await discord_bot.bot.services.servers.get(GUILD_ID)).practice_threads
    calls = await discord_bot.slash("practice", MEMBER, options={"problem": "a-basics-b0"})
    assert not any(c.path.endswith("/threads") for c in calls)


async def test_a_paged_board_with_ties_the_readers_place_and_hiding(
    discord_bot: DiscordHarness,
) -> None:
    learners = list(range(601, 613))  # twelve: two pages
    for index, user in enumerate(learners):
        await solve(discord_bot, user, "a-basics-b0")
        if index < 6:  # the first six have a second solve each: a six-way tie on top
            await solve(discord_bot, user, "a-basics-b1")
    reader = learners[-1]
    first = await discord_bot.slash("leaderboard", reader, sub="week")
    page = answer(first)
    text = page.text()
    assert "Page 1/2" in text and "12 learners" in text and "= marks a tie" in text
    assert text.count("`= 1`") == 6 and "`= 7`" in text  # 1 (×6), then 7 (×6)
    assert f"<@{reader}>" not in page.message["embeds"][0]["description"]  # on page 2
    assert "(page 2)" in text and "(tied)" in text  # but its own place is shown
    image = picture(page, "board.png")
    assert image.size == board_card_size(11)  # ten rows and the reader's own line
    # The reader turns the page in place; someone else's press opens their own copy.
    next_id = next(i for i in page.custom_ids() if i.endswith(":n"))
    turned = await discord_bot.click(next_id, reader)
    edit = answer(turned)
    assert edit.callback_type == 7 and "Page 2/2" in edit.text() and "← you" in edit.text()
    assert picture(edit, "board.png").size == board_card_size(2)
    other = await discord_bot.click(next_id, learners[0])
    assert answer(other).callback_type == 4 and answer(other).ephemeral
    # Hidden: on no board, told so, and back with /leaderboard show.
    await discord_bot.slash("leaderboard", learners[0], sub="hide")
    hidden = answer(await discord_bot.slash("leaderboard", learners[0], sub="week"))
    assert "11 learners" in hidden.text() and "You are hidden" in hidden.text()
    assert f"<@{learners[0]}>" not in hidden.text().split("You")[0]
    await discord_bot.slash("leaderboard", learners[0], sub="show")
    discord_bot.bot.services.leaderboard.forget(GUILD_ID)
    shown = answer(await discord_bot.slash("leaderboard", learners[0], sub="week"))
    assert "12 learners" in shown.text()


async def test_stats_attach_a_progress_card(discord_bot: DiscordHarness) -> None:
    await solve(discord_bot, MEMBER, "a-basics-b0")
    calls = await discord_bot.slash("stats", MEMBER)
    reply = answer(calls)
    assert "Solved **1**" in reply.text()
    services = discord_bot.bot.services
    card = await services.stats.card(MEMBER)
    assert picture(reply, "stats.png").size == stats_card_size(card)
    # The same numbers again: drawn once, served from the cache.
    drawn = services.cards.rendered
    answer(await discord_bot.slash("stats", MEMBER))
    assert services.cards.rendered == drawn


async def test_a_streak_reminder_is_sent_once_a_day_and_closed_dms_turn_it_off(
    tmp_path: Path, course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    bot = await start_harness(tmp_path, course, monkeypatch, clock=clock)
    try:
        open_dms, closed_dms = 801, 802
        for user in (open_dms, closed_dms):
            await solve(bot, user, "a-basics-b0")  # a 1-day streak, ending at 3/4 00:00 UTC
            on = answer(await bot.slash("remind", user, sub="on", options={"hours": 6}, dm=True))
            assert "18:00" in on.text()
        bot.fake.closed_dms.add(closed_dms)
        cog = bot.bot.get_cog("RemindersCog")
        clock.now = datetime(2026, 3, 3, 17, 59, tzinfo=UTC)
        assert await cog.send_reminders() == 0  # more than 6 hours before midnight
        clock.now = datetime(2026, 3, 3, 18, 5, tzinfo=UTC)
        start = len(bot.fake.calls)
        assert await cog.send_reminders() == 1
        sent = [c.path for c in bot.fake.calls[start:] if c.path.endswith("/messages")]
        assert sorted(sent) == sorted(
            f"/channels/{dm_channel_of(user)}/messages" for user in (open_dms, closed_dms)
        )  # the closed one refused
        clock.now = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
        assert await cog.send_reminders() == 0  # once a day, however often it checks
        # The closed DMs turned that learner's reminders off, and they are told next time.
        assert not (await bot.bot.services.reminders.settings(closed_dms)).enabled
        told = await bot.slash("stats", closed_dms, dm=True)
        note = [c for c in told if "DMs are closed" in c.text()]
        assert len(note) == 1 and note[0].ephemeral
        again = await bot.slash("stats", closed_dms, dm=True)
        assert not any("DMs are closed" in c.text() for c in again)
        # A new day, still at risk after solving nothing: reminded again.
        await solve(bot, open_dms, "a-basics-b1")  # 3/3: streak 2, ends at 3/5 00:00
        clock.now = datetime(2026, 3, 4, 18, 30, tzinfo=UTC)
        assert await cog.send_reminders() == 1
    finally:
        await bot.bot.close()
