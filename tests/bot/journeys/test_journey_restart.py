"""Fay has a Submit modal and a /run modal open, and her thread has a problem in it, when the bot
restarts. What she sends afterwards is still judged (or run) — nothing she typed is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import Curriculum

from ..discord_harness import Call, start_harness
from .story import answer, created_threads, problem_posts, submissions, verdicts

pytestmark = pytest.mark.docker
FAY = 1006


async def test_journey_restart_with_modals_open(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await start_harness(tmp_path, journey_course, monkeypatch)
    try:
        await before.slash("practice", FAY, options={"problem": "w-double"}, dm=True)
        code_modal: Call = (await before.click("pydojo:submit:w-double:0", FAY, dm=True))[0]
        run_modal: Call = (await before.slash("run", FAY, dm=True))[0]
        in_server = await before.slash("practice", FAY, options={"problem": "t-shout"})
        [thread] = created_threads(in_server)
        threads = dict(before.fake.threads)
    finally:
        await before.bot.close()

    after = await start_harness(tmp_path, journey_course, monkeypatch, threads=threads)
    try:
        judged = await after.submit_modal(
            code_modal, [answer(after, "w-double", as_block=False)], FAY, dm=True
        )
        assert judged[0].callback_type == 5  # answered first, before any judging
        [verdict] = verdicts(judged)
        assert "Accepted" in verdict.text() and "w-double" in verdict.text()

        ran = await after.submit_modal(run_modal, ["print(input()[::-1])", "olleh"], FAY, dm=True)
        assert "hello" in ran[-1].text()

        # The thread is remembered: code posted there is judged against its problem.
        in_thread = await after.message(answer(after, "t-shout"), FAY, channel_id=thread)
        [verdict] = verdicts(in_thread)
        assert "Accepted" in verdict.text() and "t-shout" in verdict.text()
        nxt = await after.click("pydojo:next:practice", FAY, channel_id=thread)
        [post] = problem_posts(nxt)
        assert created_threads(nxt) == [] and not post.ephemeral  # still the same thread

        # A modal for a problem the course no longer has is answered, with the code handed back.
        stale = code_modal.body["data"]["custom_id"].replace("w-double", "w-gone")  # type: ignore[index]
        code_modal.body["data"]["custom_id"] = stale  # type: ignore[index]
        gone = await after.submit_modal(code_modal, ["def double(x):\n    return 2 * x\n"], FAY)
        [answered] = [c for c in gone if c.shows_message]
        assert "no longer in the course" in answered.text() and answered.ephemeral
        assert answered.files and "return 2 * x" in answered.file_text()
    finally:
        await after.bot.close()


async def test_journey_restart_keeps_every_answer_recorded(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await start_harness(tmp_path, journey_course, monkeypatch)
    try:
        await before.slash("practice", FAY, options={"problem": "w-negate"}, dm=True)
        modal = (await before.slash("submit", FAY, dm=True))[0]
        await before.message(answer(before, "w-negate", right=False), FAY, dm=True)
    finally:
        await before.bot.close()
    after = await start_harness(tmp_path, journey_course, monkeypatch)
    try:
        judged = await after.submit_modal(
            modal, [answer(after, "w-negate", as_block=False)], FAY, dm=True
        )
        assert "Accepted" in verdicts(judged)[0].text()
        assert await submissions(after, FAY) == [
            ("w-negate", 0, "wrong_answer"),
            ("w-negate", 0, "accepted"),
        ]
        hint = await after.click("pydojo:hint:w-negate:0", FAY, dm=True)
        assert "Hint 1/3" in hint[-1].text()
    finally:
        await after.bot.close()
