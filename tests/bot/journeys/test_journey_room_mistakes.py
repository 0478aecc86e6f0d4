"""Ana and Ben in a study room make the usual slips with code: a block left open, a `.txt`
file, a screenshot, Python with no block. Each gets a nudge from the room; their chat is left to
them; the fixed attempt is judged for the room."""

from __future__ import annotations

import pytest

from ..discord_harness import Call, DiscordHarness
from .conftest import solution
from .story import answer, audit_all, verdicts

pytestmark = pytest.mark.docker
ANA, BEN = 1701, 1702


def reply(calls: list[Call]) -> str:
    [shown] = [c for c in calls if c.shows_message and not c.deleted]
    assert shown.replies_to is not None and not shown.ephemeral
    return shown.text()


async def test_journey_slips_in_a_study_room(bot: DiscordHarness) -> None:
    opened = await bot.slash("room", ANA, sub="start", options={"problem": "w-add"})
    [thread] = [int(t) for t in bot.fake.threads]
    join = next(i for c in opened for i in c.custom_ids() if i.startswith("pydojo:room:join:"))
    await bot.click(join, BEN, channel_id=thread)
    code = solution("w-add")

    assert await bot.message("how do we start?", ANA, channel_id=thread) == []  # people talk
    assert "not closed" in reply(await bot.message(f"```py\n{code}", ANA, channel_id=thread))
    text_file = await bot.message("", BEN, channel_id=thread, attachments=[("a.txt", b"x = 1")])
    assert "rename `a.txt` to `a.py`" in reply(text_file)
    picture = await bot.message("", BEN, channel_id=thread, attachments=[("s.png", b"\x89PNG")])
    assert "picture" in reply(picture)
    assert "without a code block" in reply(await bot.message(code, BEN, channel_id=thread))

    [verdict] = verdicts(await bot.message(answer(bot, "w-add"), BEN, channel_id=thread))
    assert "Accepted" in verdict.text() and f"<@{BEN}>" in verdict.text()
    audit_all(bot)
