"""An afternoon with the tutor: two learners, mistakes, a rate limit, a restart, and the
measure of whether the tutor helped — through the real services, sandbox and google-genai."""

from __future__ import annotations

import pytest

from bot.services.catalog import ProblemRef
from bot.services.practice import Where
from bot.services.tutor.service import Served
from tests.gemini_server import FakeGemini

from .conftest import FALLBACK, PRIMARY, Opener

pytestmark = pytest.mark.docker

ADA, BEN, GUILD = 1001, 1002, 880
HERE, DM = Where("thread", GUILD), Where("dm")
ADD = ProblemRef("a-basics-b0")
REFERENCE = "return a + b"


async def test_fail_hint_fix_pass_review_and_a_restart(
    open_services: Opener, gemini: FakeGemini
) -> None:
    bot = await open_services(gemini)
    flow, tutor = bot.practice, bot.tutor

    # Ada fails, asks for a tailored hint, fails differently, asks what is wrong, fixes it
    await flow.offer(ADA, HERE, problem="a-basics-b0")
    first = await flow.submit(ADA, "def add(a, b):\n    return a\n", ADD, HERE)
    assert not first.verdict.accepted
    gemini.reply(
        "Your function gives back only the first number. The task asks for both "
        "numbers combined into their total. Look at your return line and ask "
        "yourself where `b` is used."
    )
    hint = await tutor.hint(ADA, None, HERE)
    assert hint.served is Served.AI and "where `b` is used" in hint.text
    assert gemini.received[-1].sections("learner_code") == ["def add(a, b):\n    return a\n"]

    await flow.submit(ADA, "def add(a, b):\n    return str(a) + str(b)\n", ADD, HERE)
    gemini.quota("minute", model=PRIMARY)  # busy: the cheaper model answers
    gemini.reply(
        "You turn both numbers into text, so `+` glues the strings together: for 2 "
        "and 3 you return '23', not the number 5.",
        model=FALLBACK,
    )
    why = await tutor.explain(ADA, ADD, HERE)
    assert why.served is Served.AI and why.model == FALLBACK and "'23'" in why.text
    assert "got: '23'" in gemini.received[-1].sections("program_output")[0]

    fixed = await flow.submit(ADA, "def add(a, b):\n    return a + b\n", ADD, HERE)
    assert fixed.verdict.accepted and fixed.recorded is not None and fixed.recorded.first_solve
    gemini.reply("**Readability:** short and clear.\n**Complexity:** O(1).", model=FALLBACK)
    review = await tutor.review(ADA, ADD, HERE)
    assert review.served is Served.AI and "O(1)" in review.text

    # Ben asks questions in a DM; the bot restarts in between
    await flow.offer(BEN, DM, problem="a-basics-b1")
    await flow.submit(BEN, "def add(a, b):\n    return a * b\n", ProblemRef("a-basics-b1"), DM)
    gemini.reply_json(
        {
            "kind": "solution_request",
            "reply": "I won't write it for you, but look at your operator: which "
            "one gives a total?",
        },
        model=FALLBACK,
    )
    declined = await tutor.ask(BEN, "just give me the code", None, DM)
    assert declined.served is Served.AI and REFERENCE not in declined.text
    await bot.close()

    bot = await open_services(gemini)  # primary model's cool-down is gone with the process
    gemini.reply_json({"kind": "answer", "reply": "`*` multiplies; the total needs the other one."})
    follow_up = await bot.tutor.ask(BEN, "which operator then?", None, DM)
    assert follow_up.served is Served.AI
    sent = gemini.received[-1]
    assert sent.model == PRIMARY
    assert sent.sections("learner_message") == ["just give me the code", "which operator then?"]
    await bot.practice.submit(
        BEN, "def add(a, b):\n    return a + b\n", ProblemRef("a-basics-b1"), DM
    )

    # what the server's admin sees: Ada's hint and explanation were followed by acceptance
    report = await bot.tutor.report(GUILD)
    assert report.features["hint"].followed == 1 and report.features["hint"].accepted == 0
    assert report.features["explain"].accepted == 1  # the fix came right after it
    assert report.features["review"].followed == 0
    assert "ask" not in report.features  # Ben asked in a DM: not this server's
    everything = await bot.tutor.report(None)
    assert (everything.features["ask"].followed, everything.features["ask"].accepted) == (2, 2)
    assert everything.outcomes["quota_minute"] == 1
