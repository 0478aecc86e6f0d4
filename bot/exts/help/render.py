"""One screen of help: every command a learner can use."""

from __future__ import annotations

import discord

HELP_TEXT = """\
**Practise Python, one problem at a time.**
`/practice [module] [difficulty] [problem]` — a problem that fits your level (in a server, \
it goes to your own practice thread).
Answer with a ```py code block in your thread or a DM, a `.py` file, **Submit** or `/submit`.
`/hint` — up to three hints, each a little more specific (earlier ones shown again).
`/reveal` — the reference solution, after 2 failed attempts or 2 hints.
`/ask` — ask the tutor about your problem; **Explain**, **Review** and **Tailored hint** \
under verdicts and hints; `/practice fresh:true` — a brand-new problem (AI tutor).
`/skip` or **Next** — another problem, posted where you practise.
`/auto start|status|stop` — let me choose: I adapt the difficulty per topic and explain why.
`/review` — another try at a problem you struggled with (back after 1, 3 and 7 days).
`/daily today|submit` — this server's daily challenge (answer privately, or in its thread).
`/run` — run any Python snippet (with optional input) in the sandbox.
`/learn [module]` — a topic's overview and the Python to know for it.
`/room start` — a study room: solve problems together on a shared draft.
`/stats [user]` · `/history` — progress, streak, XP, badges, reviews due.
`/leaderboard all|week|today|daily` · `hide|show` — this server's boards, and being on them.
`/remind on|off [hours]` · `/timezone` — a DM before your streak lapses, on your own clock.
Managers: `/settings`, `/daily setup|now|disable`, `/leaderboard board`, `/usage` (the tutor's use).

Every submission runs in a locked-down sandbox (no network, {memory} MiB, {seconds} s per test).
Edit your message within a minute to have it judged again."""


def help_embed(memory_mib: int, test_seconds: float, python_version: str | None) -> discord.Embed:
    embed = discord.Embed(
        title="🥋 pydojo",
        colour=0x5865F2,
        description=HELP_TEXT.format(memory=memory_mib, seconds=f"{test_seconds:g}"),
    )
    if python_version:
        embed.set_footer(text=f"Judged with Python {python_version}")
    return embed
