"""Ana opens a study room and Ben joins. They try their own code, both edit the shared draft
from the same version (Ben's is refused with the diff to merge), Ben merges by replying to the
latest draft, the bot restarts, the draft runs and is accepted: a team solve for both, counted
apart from solo solves. Then the room moves on and Ana closes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db.models import StudyRoom, Submission, TeamSolve
from bot.ui.text import CONTENT_LIMIT, DESCRIPTION_LIMIT
from curriculum import Curriculum

from ..discord_harness import GUILD_ID, Call, DiscordHarness, start_harness
from .story import answer, verdicts

pytestmark = pytest.mark.docker
ANA, BEN = 1101, 1102


def fits(calls: list[Call]) -> None:
    for call in calls:
        message = call.message or {}
        assert len(message.get("content") or "") <= CONTENT_LIMIT
        for embed in message.get("embeds") or []:
            assert len(embed.get("description") or "") <= DESCRIPTION_LIMIT


def in_thread(calls: list[Call], thread: int) -> list[Call]:
    return [c for c in calls if c.path == f"/channels/{thread}/messages" and c.method == "POST"]


def draft_message_id(bot: DiscordHarness, thread: int, version: int) -> int:
    """The id of the newest message in ``thread`` that shows draft ``version``."""
    found = [
        int(mid)
        for mid, payload in bot.fake.messages.items()
        if payload["channel_id"] == str(thread)
        and any(f"Shared draft v{version} " in (e.get("title") or "") for e in payload["embeds"])
    ]
    return max(found)


async def reply(bot: DiscordHarness, content: str, user: int, thread: int, to: int) -> list[Call]:
    payload: dict[str, Any] = bot.message_payload(content, user, channel_id=thread)
    payload["message_reference"] = {
        "message_id": str(to),
        "channel_id": str(thread),
        "guild_id": str(GUILD_ID),
    }
    start = len(bot.fake.calls)
    bot.bot._connection.parse_message_create(payload)
    await bot.settle()
    return bot.fake.calls[start:]


def said(calls: list[Call]) -> Call:
    """The last message among ``calls`` that someone reads."""
    return [c for c in calls if c.shows_message and not c.deleted][-1]


def modal_value(modal: Call) -> str:
    rows = modal.body["data"]["components"]  # type: ignore[index]
    return rows[0]["components"][0]["value"]


async def test_journey_study_room(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start_harness(tmp_path, journey_course, monkeypatch)
    try:
        opened = await bot.slash("room", ANA, sub="start", options={"problem": "w-add"})
        fits(opened)
        assert opened[0].callback_type == 5  # deferred at once
        [thread] = [int(t) for t in bot.fake.threads]
        posted = in_thread(opened, thread)
        assert "Study room" in posted[0].text() and "Starter code" in posted[0].text()
        assert "Shared draft v1" in posted[1].text()
        announce = [c for c in opened if f"<#{thread}>" in c.text()]
        assert announce and not announce[0].ephemeral
        room_id = int(posted[0].custom_ids()[0].rsplit(":", 1)[1])

        # Ben posts code before joining: told to join, nothing judged.
        early = await bot.message(answer(bot, "w-add", right=False), BEN, channel_id=thread)
        assert "Join" in said(early).text() and not verdicts(early)
        joined = await bot.click(f"pydojo:room:join:{room_id}", BEN, channel_id=thread)
        assert f"<@{BEN}> joined" in said(joined).text() and not said(joined).ephemeral

        # His own attempt is judged and shown to the room with its author.
        own = await bot.message(answer(bot, "w-add", right=False), BEN, channel_id=thread)
        [verdict] = verdicts(own)
        assert "Wrong answer" in verdict.text() and f"Attempt by <@{BEN}>" in verdict.text()
        assert verdict.replies_to is not None and not verdict.ephemeral

        # Both open the editor on v1; Ana saves first, Ben's save is refused privately.
        ana_modal = (await bot.click(f"pydojo:room:edit:{room_id}", ANA, channel_id=thread))[0]
        ben_modal = (await bot.click(f"pydojo:room:edit:{room_id}", BEN, channel_id=thread))[0]
        assert ana_modal.callback_type == 9 and "def add" in modal_value(ana_modal)
        saved = await bot.submit_modal(
            ana_modal, [answer(bot, "w-add", right=False, as_block=False)], ANA, channel_id=thread
        )
        fits(saved)
        [v2] = in_thread(saved, thread)
        assert "Shared draft v2" in v2.text() and f"<@{ANA}>, based on v1" in v2.text()
        assert "```diff" in v2.text() and "+    return a - b" in v2.text()
        assert any("Saved as **v2**" in c.text() and c.ephemeral for c in saved)

        refused = await bot.submit_modal(
            ben_modal, ["def add(a, b):\n    return b + a\n"], BEN, channel_id=thread
        )
        fits(refused)
        [told] = [c for c in refused if c.shows_message]
        assert told.ephemeral and told.user == BEN
        assert "based on **v1**" in told.text() and "now **v2**" in told.text()
        assert "+    return b + a" in told.text() and "return b + a" in told.file_text()
        assert in_thread(refused, thread) == []  # nothing overwritten, nothing posted

        # The draft run fails; Ben merges by replying to v2 with a code block.
        failed = await bot.click(f"pydojo:room:run:{room_id}", BEN, channel_id=thread)
        assert "Wrong answer" in said(failed).text() and "Shared draft v2" in said(failed).text()
        merged = await reply(
            bot, answer(bot, "w-add"), BEN, thread, draft_message_id(bot, thread, 2)
        )
        [v3] = [c for c in merged if "Shared draft v3" in c.text()]
        assert v3.replies_to is not None and "-    return a - b" in v3.text()
        stale_reply = await reply(
            bot, answer(bot, "w-add"), ANA, thread, draft_message_id(bot, thread, 2)
        )
        assert "Nothing was overwritten" in said(stale_reply).text()
        threads = dict(bot.fake.threads)
    finally:
        await bot.bot.close()

    after = await start_harness(tmp_path, journey_course, monkeypatch, threads=threads)
    try:
        run = await after.click(f"pydojo:room:run:{room_id}", ANA, channel_id=thread)
        fits(run)
        [solved] = verdicts(run)
        text = solved.text()
        assert "Accepted" in text and "Team solve" in text and not solved.ephemeral
        assert f"<@{ANA}>" in text and f"<@{BEN}>" in text
        assert f"pydojo:room:next:{room_id}:1" in solved.custom_ids()
        async with after.bot.services.db.read() as session:
            credited = set(await session.scalars(select(TeamSolve.user_id)))
            solo = await session.scalar(select(func.count()).select_from(Submission))
        assert credited == {ANA, BEN} and solo == 0  # a team solve, not a solo one
        stats = await after.slash("stats", BEN)
        assert "1 team solve in study rooms" in said(stats).text()
        assert "Solved **0**" in said(stats).text()  # solo solves stay apart

        board = await after.click(f"pydojo:room:board:{room_id}", BEN, channel_id=thread)
        assert "1 problem solved" in said(board).text() and said(board).ephemeral

        moved = await after.click(f"pydojo:room:next:{room_id}:1", BEN, channel_id=thread)
        fits(moved)
        posted = in_thread(moved, thread)
        assert "problem 2" in posted[0].text() and "Shared draft v1" in posted[1].text()
        again = await after.click(f"pydojo:room:next:{room_id}:1", ANA, channel_id=thread)
        assert "already moved on" in said(again).text() and said(again).ephemeral

        refused = await after.click(f"pydojo:room:close:{room_id}", BEN, channel_id=thread)
        assert said(refused).ephemeral and f"<@{ANA}>" in said(refused).text()
        closed = await after.click(f"pydojo:room:close:{room_id}", ANA, channel_id=thread)
        assert "closed" in said(closed).text() and "Room scoreboard" in said(closed).text()
        metadata = after.fake.threads[thread]["thread_metadata"]
        assert metadata["archived"] and metadata["locked"]  # off the channel's active list
        async with after.bot.services.db.read() as session:
            assert (await session.get(StudyRoom, room_id)).status == "closed"  # type: ignore[union-attr]
        late = await after.message(answer(after, "w-add"), BEN, channel_id=thread)
        assert "closed" in said(late).text() and not verdicts(late)
    finally:
        await after.bot.close()


async def test_room_limit_per_server(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start_harness(tmp_path, journey_course, monkeypatch, rooms_per_server=1)
    try:
        await bot.slash("room", ANA, sub="start", options={"difficulty": "beginner"})
        second = await bot.slash("room", BEN, sub="start")
        told = said(second)
        assert told.ephemeral and told.user == BEN and "1 open study room," in told.text()
        assert len(bot.fake.threads) == 1
    finally:
        await bot.bot.close()
