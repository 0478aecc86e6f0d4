"""Hana reads before she practises: the course's map, a module's notes by its menu title, the
Read first button under her first problem of a module (and only the first), all privately."""

from __future__ import annotations

import pytest

from ..discord_harness import DiscordHarness
from .story import problem_posts

pytestmark = pytest.mark.docker
HANA = 1051


async def test_journey_reading_the_notes_first(bot: DiscordHarness) -> None:
    course = await bot.slash("learn", HANA)
    [overview] = [c for c in course if c.shows_message]
    assert "The course" in overview.text() and "Warm-up" in overview.text()
    assert overview.ephemeral

    notes = await bot.slash("learn", HANA, options={"module": "Text & Strings"})
    [text] = [c for c in notes if c.shows_message]
    assert "Python notes" in text.text() and "Words" in text.text() and text.ephemeral

    first = await bot.slash("practice", HANA, options={"module": "warmup"}, dm=True)
    [post] = problem_posts(first)
    assert "pydojo:learn:warmup" in post.custom_ids()
    pressed = await bot.click("pydojo:learn:warmup", HANA, dm=True)
    [read] = [c for c in pressed if c.shows_message]
    assert "Warm-up" in read.text() and "Python notes" in read.text()

    second = await bot.slash("skip", HANA, dm=True)
    [again] = problem_posts(second)
    assert not any(cid.startswith("pydojo:learn:") for cid in again.custom_ids())

    # With a current problem, /learn shows that problem's module.
    current = await bot.slash("learn", HANA, dm=True)
    assert "Warm-up" in next(c for c in current if c.shows_message).text()
