"""Every error path, seen from the channel: whatever goes wrong for one learner is shown to that
learner alone (ephemeral), once, with what to do — and what they typed comes back to them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from curriculum import Curriculum

from ..discord_harness import Call, DiscordHarness, snowflake, start_harness
from .story import answer, created_threads, submissions

pytestmark = pytest.mark.docker
HAL, IVY = 1031, 1032


def only_private(calls: list[Call], user: int, *needles: str) -> Call:
    """The one message of ``calls``: ephemeral, for ``user``, saying each of ``needles``."""
    shown = [c for c in calls if c.shows_message and not c.deleted]
    assert len(shown) == 1, [c.text() for c in shown]
    [message] = shown
    assert message.ephemeral and message.user == user, message
    for needle in needles:
        assert needle in message.text(), message.text()
    return message


async def test_journey_every_error_is_private_and_says_what_to_do(
    bot: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # Choices that cannot be served are refused at once, before any "thinking…".
    nope = await bot.slash("practice", HAL, options={"module": "Nope"})
    assert nope[0].callback_type == 4
    only_private(nope, HAL, "no module called “Nope”", "Warm-up, Text & Strings, Extras")
    only_private(
        await bot.slash("practice", HAL, options={"problem": "w-nope"}), HAL, "no problem called"
    )
    only_private(
        await bot.slash("practice", HAL, options={"module": "extras", "difficulty": "advanced"}),
        HAL,
        "no advanced problems in **Extras**",
    )
    only_private(await bot.slash("submit", HAL), HAL, "no current problem", "`/practice`")
    only_private(await bot.slash("hint", HAL), HAL, "no current problem")
    only_private(await bot.click("pydojo:hint:w-gone:0", HAL), HAL, "no longer in the course")

    # In his own thread (a public place): a refused reveal is still his alone.
    started = await bot.slash(
        "practice", HAL, options={"module": "text & strings", "difficulty": "intermediate"}
    )
    [thread] = created_threads(started)
    only_private(
        await bot.slash("reveal", HAL, channel_id=thread),
        HAL,
        "unlocks after 2 failed attempts or 2 hints",
        "0 failed attempts, 0 hints",
    )

    # An error found after a public "thinking…" (auto mode refuses a skip): the placeholder is
    # settled and deleted, the error goes to him alone.
    await bot.slash("auto", HAL, sub="start", channel_id=thread)
    refused = await bot.slash("skip", HAL, channel_id=thread)
    assert refused[0].callback_type == 5 and not refused[0].ephemeral
    only_private(refused, HAL, "only advanced problems can be skipped")
    assert any(c.method == "DELETE" for c in refused)

    # A paste that cannot be judged: refused before deferring, the code handed back.
    modal = await bot.click("pydojo:submit:t-vowels:0", HAL, channel_id=thread)
    broken = await bot.submit_modal(
        modal[0], ["def f(\ud800):\n    pass\n"], HAL, channel_id=thread
    )
    message = only_private(broken, HAL, "not valid text (line 1, column 7)", "nothing is lost")
    assert message.files and message.files[0].filename == "your-code.py"

    # A bug on our side, on a button and on a message: one private "sorry", logged.
    services = bot.bot.services
    original_hint, original_submit = services.practice.hint, services.practice.submit

    async def broken_service(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    services.practice.hint = broken_service  # type: ignore[method-assign]
    services.practice.submit = broken_service  # type: ignore[method-assign]
    try:
        only_private(
            await bot.click("pydojo:hint:t-vowels:0", HAL, channel_id=thread),
            HAL,
            "Something went wrong on my side",
        )
        posted = await bot.message(answer(bot, "t-vowels"), HAL, channel_id=thread)
        [reply] = [c for c in posted if c.shows_message]
        assert "Something went wrong on my side" in reply.text() and reply.replies_to
    finally:
        services.practice.hint, services.practice.submit = original_hint, original_submit
    assert [r for r in caplog.records if "disk on fire" in str(r.exc_info)]

    # Of all this, others could read only the reply to his own message (a chat message can
    # have no private answer).
    errors = ("went wrong", "unlocks", "no current", "no module", "skipped", "not valid text")
    seen_by_others = [
        c.text() for c in bot.fake.calls if c.visible_to(IVY) and any(e in c.text() for e in errors)
    ]
    assert seen_by_others == [reply.text()]


async def test_journey_quick_learners_lose_nothing(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cooldown between submissions, arriving early means waiting, not losing code."""
    bot = await start_harness(tmp_path, journey_course, monkeypatch, cooldown_seconds=1.5)
    try:
        # Two /run modals sent back to back: both run, in order; no "try again in 3 s".
        modals = [(await bot.slash("run", IVY))[0] for _ in range(2)]
        start = len(bot.fake.calls)
        for number, modal in enumerate(modals):
            bot.bot._connection.parse_interaction_create(
                bot.modal_submit_payload(modal, [f"print('run {number}')", ""], IVY)
            )
        await bot.settle()
        shown = [c.text() for c in bot.fake.calls[start:] if c.shows_message]
        assert any("run 0" in t for t in shown) and any("run 1" in t for t in shown)
        assert not any("try again" in t.lower() for t in shown)

        # Ten messages at once: only the latest code waiting is judged (and the first, if it
        # did not have to wait); the rest are marked skipped. One answer each.
        await bot.slash("practice", IVY, options={"problem": "w-double"}, dm=True)
        ids = [snowflake() for _ in range(10)]
        start = len(bot.fake.calls)
        for message_id in ids:
            bot.bot._connection.parse_message_create(
                bot.message_payload(
                    answer(bot, "w-double", right=False), IVY, dm=True, message_id=message_id
                )
            )
        await bot.settle()
        calls = bot.fake.calls[start:]
        answers = {
            i: [
                c
                for c in calls
                if c.replies_to == i or (c.reaction and f"/messages/{i}/" in c.path)
            ]
            for i in ids
        }
        assert all(len(a) == 1 for a in answers.values()), answers
        judged = [i for i, a in answers.items() if a[0].reaction is None]
        assert judged[-1] == ids[-1] and set(judged) <= {ids[0], ids[-1]}
        assert "Wrong answer" in answers[ids[-1]][0].text()

        # An edit made during the cooldown waits for it and re-judges in place.
        fixed = await bot.message(
            answer(bot, "w-double"), IVY, dm=True, message_id=ids[-1], edit=True
        )
        [edited] = [c for c in fixed if c.shows_message]
        assert edited.method == "PATCH" and "Accepted" in edited.text()
        kinds = [v for _, _, v in await submissions(bot, IVY)]
        assert kinds == ["wrong_answer"] * len(judged) + ["accepted"]
    finally:
        await bot.bot.close()
