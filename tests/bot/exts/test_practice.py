"""Practising through Discord: slash commands, threads, code blocks, buttons, modals, DMs."""

from __future__ import annotations

import pytest

from ..discord_harness import CHANNEL_ID, GUILD_ID, Call, DiscordHarness

pytestmark = pytest.mark.docker

GOOD = "```py\ndef add(a, b):\n    return a + b\n```"
BAD = "```py\ndef add(a, b):\n    return a - b\n```"


def assert_discord_limits(calls: list[Call]) -> None:
    for call in calls:
        message = call.message or {}
        assert len(message.get("content") or "") <= 2000, call.path
        embeds = message.get("embeds") or []
        for embed in embeds:
            assert len(embed.get("description") or "") <= 4096
            assert len(embed.get("title") or "") <= 256
            assert all(len(f["value"]) <= 1024 for f in embed.get("fields", []))
        if message.get("content") or embeds:
            mentions = message.get("allowed_mentions")
            assert mentions is not None and mentions.get("parse") == [], call.path


def first_response_in_time(calls: list[Call]) -> Call:
    """The interaction is answered (or deferred) before the bot makes any other call, so no
    slow work can delay it past Discord's 3 s (no wall-clock bound: the machine is shared)."""
    callback = next(c for c in calls if c.path.endswith("/callback"))
    assert callback is calls[0]
    return callback


async def test_practice_in_a_server_opens_a_thread_and_judges_code_there(
    discord_bot: DiscordHarness,
) -> None:
    calls = await discord_bot.slash("practice", 1, options={"problem": "a-basics-b0"})
    assert first_response_in_time(calls).callback_type == 5  # deferred
    thread_call = next(c for c in calls if c.path == f"/channels/{CHANNEL_ID}/threads")
    thread_id = next(c for c in calls if "/thread-members/" in c.path).path.split("/")[2]
    posted = next(c for c in calls if c.path == f"/channels/{thread_id}/messages")
    assert "Problem a-basics-b0" in posted.text() and "Example 1" in posted.text()
    assert "pydojo:submit:a-basics-b0:0" in posted.custom_ids()
    # the thread is the learner's and follows their problem, so it is named for them
    assert thread_call.body and thread_call.body["name"] == "learner · practice"
    assert f"<#{thread_id}>" in calls[-1].text() and calls[-1].ephemeral
    assert_discord_limits(calls)

    wrong = await discord_bot.message(BAD, 1, channel_id=int(thread_id))
    verdict = next(c for c in wrong if c.path == f"/channels/{thread_id}/messages")
    assert "Wrong answer" in verdict.text() and "Expected" in verdict.text()
    assert_discord_limits(wrong)

    hint = await discord_bot.click("pydojo:hint:a-basics-b0:0", 1, channel_id=int(thread_id))
    callback = first_response_in_time(hint)
    assert callback.callback_type == 5 and callback.ephemeral
    assert "Hint 1/3" in hint[-1].text() and hint[-1].ephemeral

    right = await discord_bot.message(GOOD, 1, channel_id=int(thread_id))
    accepted = next(c for c in right if c.path == f"/channels/{thread_id}/messages")
    assert "Accepted" in accepted.text() and "+50 XP" in accepted.text()
    assert "**The idea:** ||Use the plus operator" in accepted.text()  # spoiler in public
    assert_discord_limits(right)

    stats = await discord_bot.slash("stats", 1)
    assert "Solved **1**" in stats[-1].text()


async def test_practice_in_a_dm_stays_in_the_dm(discord_bot: DiscordHarness) -> None:
    calls = await discord_bot.slash("practice", 2, options={"problem": "a-basics-b1"}, dm=True)
    assert not any("/threads" in c.path for c in calls)
    assert "Problem a-basics-b1" in calls[-1].text()
    judged = await discord_bot.message(GOOD, 2, dm=True)
    assert any("Accepted" in c.text() for c in judged)


async def test_submit_modal_round_trip(discord_bot: DiscordHarness) -> None:
    await discord_bot.slash("practice", 3, options={"problem": "a-basics-b2"}, dm=True)
    modal = await discord_bot.slash("submit", 3, dm=True)
    assert modal[0].callback_type == 9
    judged = await discord_bot.submit_modal(
        modal[0], ["def add(a, b):\n    return a + b\n"], 3, dm=True
    )
    assert first_response_in_time(judged).callback_type == 5
    assert "Accepted" in judged[-1].text()


async def test_reveal_is_refused_then_allowed(discord_bot: DiscordHarness) -> None:
    await discord_bot.slash("practice", 4, options={"problem": "a-basics-i0"}, dm=True)
    refused = await discord_bot.slash("reveal", 4, dm=True)
    assert "unlocks after 2 failed attempts" in refused[-1].text()
    for _ in range(2):
        verdict = await discord_bot.message(BAD, 4, dm=True)
    assert "pydojo:reveal:a-basics-i0:0" in verdict[-1].custom_ids()
    shown = await discord_bot.click("pydojo:reveal:a-basics-i0:0", 4, dm=True)
    assert "return a + b" in shown[-1].text()


async def test_bad_input_gets_a_friendly_answer(discord_bot: DiscordHarness) -> None:
    await discord_bot.slash("practice", 5, options={"problem": "a-basics-b0"}, dm=True)
    latin = await discord_bot.message(
        "here", 5, dm=True, attachments=[("sol.py", b"print('caf\xe9')\n")]
    )
    assert "not UTF-8" in latin[-1].text()
    binary = await discord_bot.message("x", 5, dm=True, attachments=[("sol.py", b"\x00\x01")])
    assert "binary" in binary[-1].text()
    huge = await discord_bot.message("x", 5, dm=True, attachments=[("sol.py", b"#" * (65 * 1024))])
    assert "limit is 64 KiB" in huge[-1].text()
    ticks = await discord_bot.message("´´´py\nprint(1)\n´´´", 5, dm=True)
    assert "wrong ticks" in ticks[-1].text()
    attached = await discord_bot.message(
        "my file", 5, dm=True, attachments=[("sol.py", b"def add(a, b):\n    return a + b\n")]
    )
    assert "Accepted" in attached[-1].text()


async def test_editing_within_a_minute_rejudges(discord_bot: DiscordHarness) -> None:
    await discord_bot.slash("practice", 6, options={"problem": "a-basics-b3"}, dm=True)
    first = await discord_bot.message(BAD, 6, dm=True, message_id=123456789)
    assert "Wrong answer" in first[-1].text()
    edited = await discord_bot.message(GOOD, 6, dm=True, message_id=123456789, edit=True)
    patch = next(c for c in edited if c.method == "PATCH")
    assert "Accepted" in patch.text() and "re-judged" in patch.text()


async def test_run_with_stdin_and_long_output(discord_bot: DiscordHarness) -> None:
    modal = await discord_bot.slash("run", 7, dm=True)
    assert modal[0].callback_type == 9
    ran = await discord_bot.submit_modal(
        modal[0], ["name = input()\nfor i in range(30):\n    print(i, name)\n", "Ada"], 7, dm=True
    )
    final = ran[-1]
    assert "0 Ada" in final.text() and "output trimmed" in final.text()
    assert final.files and final.files[0].filename == "output.txt"


async def test_help_fits_one_screen(discord_bot: DiscordHarness) -> None:
    calls = await discord_bot.slash("help", 8)
    assert calls[0].callback_type == 4 and calls[0].ephemeral
    assert "/practice" in calls[0].text() and len(calls[0].text()) < 2000


async def test_leaderboard_lists_solvers_without_pinging_them(discord_bot: DiscordHarness) -> None:
    await discord_bot.slash("practice", 9, options={"problem": "a-basics-b0"})
    thread = next(c for c in discord_bot.fake.calls if "/thread-members/" in c.path)
    await discord_bot.message(GOOD, 9, channel_id=int(thread.path.split("/")[2]))
    board = await discord_bot.slash("leaderboard", 10, sub="all")
    assert "<@9>" in board[-1].text() and "75 XP" in board[-1].text()
    assert_discord_limits(board)


async def test_with_threads_switched_off_the_problem_is_posted_in_the_channel(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.bot.services.servers.update(GUILD_ID, practice_threads=False)
    calls = await discord_bot.slash("practice", 14, options={"problem": "a-basics-b0"})
    assert not any("/threads" in c.path for c in calls)
    [posted] = [c for c in calls if c.path == f"/channels/{CHANNEL_ID}/messages"]
    assert "Problem a-basics-b0" in posted.text() and not posted.ephemeral
    assert "mention me" in posted.text()  # no thread: code blocks need a mention here
    pointer = next(c for c in calls if c.path.endswith("/messages/@original"))
    assert pointer.ephemeral and "Posted:" in pointer.text()
    judged = await discord_bot.message(GOOD, 14, mention_bot=True)
    assert "Accepted" in judged[-1].text()


async def test_run_on_another_python_says_which(discord_bot: DiscordHarness) -> None:
    source = "import sys\nprint(sys.version_info[:2])\n"
    default = await discord_bot.slash("run", 11, dm=True)
    ran = await discord_bot.submit_modal(default[0], [source, ""], 11, dm=True)
    assert "(3, 13)" in ran[-1].text() and "Python 3.13" in ran[-1].text()
    old = await discord_bot.slash("run", 11, options={"version": "3.11"}, dm=True)
    ran = await discord_bot.submit_modal(old[0], [source, ""], 11, dm=True)
    assert "(3, 11)" in ran[-1].text() and "Python 3.11" in ran[-1].text()


def outside_code(text: str) -> str:
    """What Discord renders as markdown: everything outside code blocks and inline code."""
    parts = text.split("```")
    assert len(parts) % 2 == 1, f"an unbalanced code block: {text!r}"
    prose = "".join(parts[0::2])
    spans = prose.split("`")
    assert len(spans) % 2 == 1, f"an unbalanced inline code span: {prose!r}"
    return "".join(spans[0::2])


# Backtick runs, a masked link, mentions and a heading: in what the code prints, in its
# exception's type name and message, and in the name of the type it returns.
NASTY = "T = chr(96) * 4\nLOUD = T + '\\n# @everyone [prize](https://example.com) <@&123456789012345678> ' + T\n"
HOSTILE = [
    "```py\n" + NASTY + "def add(a, b):\n    print(LOUD)\n"
    "    raise type('Oops' + LOUD, (ValueError,), {})(LOUD)\n```",
    "```py\n"
    + NASTY
    + "def add(a, b):\n    print(LOUD)\n    return type(LOUD, (list,), {})()\n```",
]


@pytest.mark.parametrize("code", HOSTILE, ids=["exception", "returned-type"])
async def test_hostile_output_cannot_break_out_of_a_public_verdict(
    discord_bot: DiscordHarness, code: str
) -> None:
    calls = await discord_bot.slash("practice", 8, options={"problem": "a-basics-b0"})
    thread_id = next(c for c in calls if "/thread-members/" in c.path).path.split("/")[2]
    judged = await discord_bot.message(code, 8, channel_id=int(thread_id))
    verdict = next(c for c in judged if c.path == f"/channels/{thread_id}/messages")
    assert "Accepted" not in verdict.text()
    assert_discord_limits(judged)
    for embed in verdict.message["embeds"]:
        prose = outside_code(embed.get("description") or "")
        assert "](" not in prose.replace("\\](", ""), prose  # no masked link survives
        assert "@everyone" not in prose and "<@&" not in prose, prose
        assert "\n#" not in prose.replace("\n\\#", ""), prose


async def test_hostile_run_output_stays_in_its_block(discord_bot: DiscordHarness) -> None:
    modal = await discord_bot.slash("run", 9)
    code = NASTY + "print(LOUD)\nraise SystemExit(LOUD)\n"
    ran = await discord_bot.submit_modal(modal[0], [code, ""], 9)
    assert_discord_limits(ran)
    shown = [c for c in ran if "exit 1" in (c.message.get("content") or "")]
    assert shown, [c.text() for c in ran]
    for call in shown:
        prose = outside_code(call.message["content"])
        assert "](" not in prose and "@everyone" not in prose, prose


async def test_a_hidden_failure_tells_nothing_the_program_chose(
    discord_bot: DiscordHarness,
) -> None:
    """A hidden input, (10, 20), spelt out in a message, a line number and the run's time."""
    code = (
        "```py\nimport time\ndef add(a, b):\n    if (a, b) != (10, 20):\n"
        "        return a + b\n    time.sleep(0.001 * b)\n"
        "    exec(compile('\\n' * b + 'raise KeyError(%r)' % f'secret {a} {b}', 'main.py', 'exec'))\n```"
    )
    await discord_bot.slash("practice", 10, options={"problem": "a-basics-b0"}, dm=True)
    judged = await discord_bot.message(code, 10, dm=True)
    shown = judged[-1].text()
    assert "hidden test" in shown and "KeyError" in shown, shown
    assert "secret" not in shown and "10 20" not in shown and "line 2" not in shown, shown
    assert " ms" not in shown, shown
    assert_discord_limits(judged)
