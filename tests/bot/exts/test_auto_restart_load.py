"""Auto mode through Discord, surviving a restart, a load test and a sandbox outage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import PyDojo, build_services
from bot.exts.practice.render import VERDICT_TITLES
from curriculum import Curriculum
from runner import Runner, RunnerConfig

from ..discord_harness import DiscordHarness
from ..load import start_learners, submission_rounds
from .conftest import settings_for, start_harness
from .test_practice import BAD, GOOD, assert_discord_limits

pytestmark = pytest.mark.docker


async def test_auto_mode_explains_itself_and_promotes(discord_bot: DiscordHarness) -> None:
    started = await discord_bot.slash("auto", 11, sub="start", dm=True)
    assert "getting started" in started[-1].text()
    promoted = False
    for _ in range(12):
        verdict = await discord_bot.message(GOOD, 11, dm=True)
        text = verdict[-1].text()
        assert "Accepted" in text and "pydojo:next:auto" in verdict[-1].custom_ids()
        if "Promoted to **intermediate**" in text:
            promoted = True
            break
        nxt = await discord_bot.click("pydojo:next:auto", 11, dm=True)
        assert nxt[0].callback_type == 5 and "Problem" in nxt[-1].text()
    assert promoted
    after = await discord_bot.click("pydojo:next:auto", 11, dm=True)
    assert "promoted to intermediate" in after[-1].text()
    status = await discord_bot.slash("auto", 11, sub="status", dm=True)
    assert "intermediate" in status[-1].text() and status[-1].ephemeral
    stopped = await discord_bot.slash("auto", 11, sub="stop", dm=True)
    assert "stopped" in stopped[-1].text()


async def test_state_and_buttons_survive_a_restart(
    tmp_path: Path, course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await start_harness(tmp_path, course, monkeypatch)
    await first.slash("practice", 12, options={"problem": "a-basics-i1"}, dm=True)
    await first.message(BAD, 12, dm=True)
    await first.bot.close()

    second = await start_harness(tmp_path, course, monkeypatch)
    try:
        hint = await second.click("pydojo:hint:a-basics-i1:0", 12, dm=True)  # an old button
        assert "Hint 1/3" in hint[-1].text()
        judged = await second.message(GOOD, 12, dm=True)  # current problem remembered
        assert "Accepted" in judged[-1].text() and "a-basics-i1" in judged[-1].text()
        gone = await second.click("pydojo:submit:no-such-problem:0", 12, dm=True)
        assert "no longer in the course" in gone[-1].text() and gone[-1].ephemeral
    finally:
        await second.bot.close()


async def test_sandbox_trouble_is_not_the_learners_fault(
    tmp_path: Path,
    course: Curriculum,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = Runner(RunnerConfig(docker_url="unix:///tmp/pydojo-missing.sock", pool_size=0))
    services = await build_services(settings_for(tmp_path), curriculum=course, runner=broken)
    harness = DiscordHarness(PyDojo(services, sync=False), monkeypatch)
    await harness.start()
    try:
        await harness.slash("practice", 13, options={"problem": "a-basics-b0"}, dm=True)
        judged = await harness.message(GOOD, 13, dm=True)
        assert "judge is having trouble" in judged[-1].text()
        assert "not counted" in judged[-1].text()
        stats = await services.stats.stats(13)
        assert stats.totals.attempts == 0
        warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert any(
            m.startswith("sandbox error judging user=13 problem=a-basics-b0@0") for m in warned
        ), warned
    finally:
        await harness.bot.close()


async def test_load_hundred_submissions_from_twenty_users(discord_bot: DiscordHarness) -> None:
    """Every learner gets exactly one verdict per submission (speed: bench/discord_bench.py).

    Which verdict is not asserted: on a machine loaded by others, even ``a + b`` can exceed a
    test's time limit, and that is still a verdict, once."""
    await start_learners(discord_bot)
    replies = await submission_rounds(discord_bot)
    assert len(replies) == 100
    titles = "|".join(re.escape(title) for title in VERDICT_TITLES.values())
    for texts in replies.values():
        assert len(texts) == 1 and re.search(titles, texts[0]), texts
    judged = [t for texts in replies.values() for t in texts if re.search("Accepted|Wrong", t)]
    assert judged, "not one submission was judged on its merits"
    assert_discord_limits(discord_bot.fake.calls)
