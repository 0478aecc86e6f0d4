"""Turning service results into Discord messages that respect Discord's limits.

Anything echoed from user code goes inside code blocks with backtick break-outs neutralised,
and messages are sent with mentions disabled.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import discord

from bot.services.practice import Judged, Offered
from bot.services.rewards import BADGES
from bot.services.stats import HistoryPage, UserStats
from curriculum import Curriculum, Difficulty, Problem, Variant
from runner import Kind, RunResult, RunStatus, Status

DESCRIPTION_LIMIT = 4096
CONTENT_LIMIT = 2000
FIELD_LIMIT = 1024
INLINE_LINES, INLINE_CHARS = 10, 1000
NO_MENTIONS = discord.AllowedMentions.none()

COLOURS = {
    Difficulty.BEGINNER: 0x57F287,
    Difficulty.INTERMEDIATE: 0xFEE75C,
    Difficulty.ADVANCED: 0xED4245,
}
VERDICT_TITLES = {
    Status.ACCEPTED: "✅ Accepted",
    Status.WRONG_ANSWER: "❌ Wrong answer",
    Status.RUNTIME_ERROR: "💥 Runtime error",
    Status.TIME_LIMIT: "⏱️ Time limit exceeded",
    Status.MEMORY_LIMIT: "🧠 Memory limit exceeded",
    Status.OUTPUT_LIMIT: "📢 Output limit exceeded",
    Status.SYNTAX_ERROR: "✏️ Syntax error",
    Status.SANDBOX_ERROR: "⚠️ The judge is having trouble",
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_block(text: str, limit: int = 900, lang: str = "") -> str:
    """A code block that user text cannot break out of, within ``limit`` characters."""
    body = text.replace("```", "`\u200b``")
    body = clip(body, max(10, limit - len(lang) - 8))
    return f"```{lang}\n{body}\n```"


def examples_text(variant: Variant) -> str:
    parts = []
    shown = [t for t in variant.spec.tests if not t.hidden]
    for number, test in enumerate(shown, 1):
        if variant.problem.kind is Kind.STDIO:
            parts.append(
                f"**Example {number}**\nInput:{safe_block(test.stdin, 400)}"
                f"Output:{safe_block(test.expected, 400)}"
            )
        elif variant.problem.kind is Kind.CLASS:
            parts.append(
                f"**Example {number}**\n{safe_block(test.calls, 400, 'py')}"
                f"Results: `{clip(test.expected, 300)}`"
            )
        else:
            call = f"{variant.problem.entry_point}({test.args})"
            parts.append(
                f"**Example {number}**\n{safe_block(f'{call}  →  {test.expected}', 500, 'py')}"
            )
    return "\n".join(parts)


def problem_embed(offered: Offered, curriculum: Curriculum) -> discord.Embed:
    problem, variant = offered.problem, offered.variant
    description = variant.statement.strip() + "\n\n" + examples_text(variant)
    if offered.reason:
        description = f"*{offered.reason}*\n\n{description}"
    description += "\n\nAnswer with a ```py code block here, the **Submit** button, or `/submit`."
    embed = discord.Embed(
        title=clip(variant.title, 256),
        description=clip(description, DESCRIPTION_LIMIT),
        colour=COLOURS[problem.difficulty],
    )
    embed.add_field(
        name="Starter code",
        value=safe_block(variant.starter.strip(), FIELD_LIMIT, "py"),
        inline=False,
    )
    embed.set_footer(
        text=f"{curriculum.path_of(problem)} · {problem.difficulty.value} · {problem.id}"
    )
    return embed


def verdict_embed(judged: Judged, python_version: str | None = None) -> discord.Embed:
    verdict, recorded = judged.verdict, judged.recorded
    colour = 0x57F287 if verdict.accepted else 0xED4245
    lines = [verdict.summary]
    failed = verdict.failed
    if verdict.status is Status.WRONG_ANSWER and failed is not None:
        if failed.hidden:
            lines.append(
                f"Hidden test {failed.number} failed — check the edge cases "
                "(empty input, one element, duplicates, negatives)."
            )
        else:
            lines.append(
                f"**Input**{safe_block(failed.input or '', 500, 'py')}"
                f"**Expected**{safe_block(failed.expected or '', 400)}"
                f"**Got**{safe_block(failed.got or '(nothing)', 400)}"
            )
            if failed.stdout:
                lines.append(f"Your prints:{safe_block(failed.stdout, 300)}")
    if verdict.error is not None and verdict.status in (Status.RUNTIME_ERROR, Status.SYNTAX_ERROR):
        lines.append(safe_block(verdict.error.traceback, 1200, "py"))
        if verdict.error.type == "EOFError":
            lines.append(
                "`input()` ran out of input: this problem gives you only the test's "
                "stdin (function problems give none — use the arguments)."
            )
    if verdict.status is Status.SANDBOX_ERROR:
        lines.append("Nothing was recorded against you. Please try again in a minute.")
    if recorded is not None and verdict.accepted:
        gains = []
        if recorded.xp_gained:
            gains.append(f"+{recorded.xp_gained} XP")
        gains.append(f"level {recorded.level.number}" + (" ⬆️" if recorded.level_up else ""))
        if recorded.streak:
            gains.append(f"🔥 {recorded.streak}-day streak")
        lines.append(" · ".join(gains))
        if recorded.new_badges:
            lines.append(
                "🏅 New badge: "
                + ", ".join(f"**{BADGES[b].title}**" for b in recorded.new_badges if b in BADGES)
            )
        if recorded.daily_rank:
            lines.append(f"Daily challenge: solver #{recorded.daily_rank} in this server.")
        if recorded.first_solve:
            lines.append(f"**The idea:** {judged.variant.explanation.strip()}")
    if recorded is not None and recorded.auto is not None:
        auto = recorded.auto
        if auto.promoted:
            lines.append(f"⬆️ Promoted to **{auto.difficulty.value}** in this topic.")
        if auto.demoted:
            lines.append(f"⬇️ Back to **{auto.difficulty.value}** in this topic for a bit.")
        if auto.remediation_queued:
            lines.append("A practice problem on this topic is queued for you next.")
    elif not verdict.accepted and judged.reveal_allowed and verdict.status.blames_user:
        lines.append("Stuck? **Reveal** shows the reference solution now.")
    embed = discord.Embed(
        title=VERDICT_TITLES[verdict.status],
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=colour,
    )
    footer = f"{judged.problem.id} · {verdict.passed}/{verdict.total} tests · "
    footer += f"{verdict.duration_ms} ms"
    if python_version or verdict.python_version:
        footer += f" · Python {python_version or verdict.python_version}"
    embed.set_footer(text=footer)
    return embed


def hint_embed(problem: Problem, variant: Variant, level: int) -> discord.Embed:
    if level == 0:
        text = (
            "That was the last hint. After two failed attempts or two hints you can "
            "**Reveal** the solution."
        )
    else:
        text = f"**Hint {level}/3:** {variant.hints[level - 1]}"
    return discord.Embed(
        title=f"💡 {clip(variant.title, 200)}", description=clip(text, 4000), colour=0x5865F2
    )


def solution_embed(problem: Problem, variant: Variant) -> discord.Embed:
    text = (
        safe_block(variant.solution.strip(), 3000, "py")
        + "\n**The idea:** "
        + variant.explanation.strip()
    )
    return discord.Embed(
        title=f"📖 Solution: {clip(variant.title, 200)}",
        description=clip(text, DESCRIPTION_LIMIT),
        colour=0x5865F2,
    )


def run_message(result: RunResult) -> tuple[str, discord.File | None]:
    """Inline output up to ~10 lines / 1000 chars; the full output as a file when longer."""
    emoji = {
        RunStatus.OK: "✅",
        RunStatus.ERROR: "❌",
        RunStatus.TIMEOUT: "⏱️",
        RunStatus.MEMORY: "🧠",
        RunStatus.OUTPUT_LIMIT: "📢",
        RunStatus.SANDBOX_ERROR: "⚠️",
    }[result.status]
    head = f"{emoji} "
    if result.status is RunStatus.SANDBOX_ERROR:
        return head + "The sandbox is having trouble right now; please try again soon.", None
    head += f"exit {result.exit_code}" if result.exit_code is not None else result.status.value
    head += f" · {result.duration_ms} ms"
    if result.message:
        head += f" · {result.message}"
    output = result.stdout + (
        ("\n" if result.stdout and not result.stdout.endswith("\n") else "") + result.stderr
        if result.stderr
        else ""
    )
    lines = output.splitlines()
    inline = "\n".join(lines[:INLINE_LINES])[:INLINE_CHARS]
    cut = inline != output.rstrip("\n")
    body = safe_block(inline or "(no output)", INLINE_CHARS + 20)
    note = ""
    file = None
    if cut:
        note = (
            f"\n(output trimmed: {len(lines)} lines, {len(output)} characters; "
            "full output attached)"
        )
        file = discord.File(io.BytesIO(output.encode("utf-8", "replace")), filename="output.txt")
    if result.truncated:
        note += "\n(the program printed more than the sandbox keeps)"
    if "EOFError" in result.stderr:
        note += "\n`input()` ran out of input: add stdin in the form."
    return clip(f"{head}\n{body}{note}", CONTENT_LIMIT), file


def module_titles(curriculum: Curriculum, module_ids: Iterable[str]) -> str:
    return ", ".join(curriculum.modules[m].title for m in module_ids if m in curriculum.modules)


def stats_embed(stats: UserStats, name: str, curriculum: Curriculum) -> discord.Embed:
    level = stats.level
    next_text = (
        f"{stats.xp}/{level.next_at} XP to level {level.number + 1}"
        if level.next_at
        else f"{stats.xp} XP (top level)"
    )
    lines = [
        f"**Level {level.number}** · {next_text}",
        f"Solved **{stats.solved}** · attempts {stats.totals.attempts} · "
        f"🔥 streak {stats.streak} (best {stats.best_streak})",
    ]
    embed = discord.Embed(
        title=f"📊 {clip(name, 200)}", description="\n".join(lines), colour=0x5865F2
    )
    rows = []
    for node in stats.modules.values():
        if node.totals.attempts:
            bar = "█" * round(node.totals.mastery * 10) + "░" * (
                10 - round(node.totals.mastery * 10)
            )
            rows.append(
                f"`{bar}` {node.totals.mastery:4.0%} {node.title} "
                f"({node.totals.solved}/{node.totals.attempts})"
            )
    embed.add_field(
        name="Mastery by module",
        value=clip("\n".join(rows) or "Nothing yet — try /practice!", FIELD_LIMIT),
        inline=False,
    )
    if stats.weakest:
        embed.add_field(
            name="Practise next",
            value=clip(module_titles(curriculum, stats.weakest), FIELD_LIMIT),
        )
    if stats.untouched:
        embed.add_field(
            name="Not started",
            value=clip(module_titles(curriculum, stats.untouched), FIELD_LIMIT),
        )
    if stats.badges:
        embed.add_field(
            name="Badges",
            value=clip(
                " · ".join(BADGES[b].title for b in stats.badges if b in BADGES), FIELD_LIMIT
            ),
            inline=False,
        )
    return embed


def history_embed(page: HistoryPage, name: str) -> discord.Embed:
    marks = {
        "accepted": "✅",
        "wrong_answer": "❌",
        "runtime_error": "💥",
        "time_limit": "⏱️",
        "memory_limit": "🧠",
        "output_limit": "📢",
        "syntax_error": "✏️",
    }
    lines = [
        f"{marks.get(item.verdict, '•')} `{item.problem_id}` {item.passed}/{item.total} · "
        f"<t:{int(item.created_at.timestamp())}:R>"
        for item in page.items
    ]
    embed = discord.Embed(
        title=f"🗂️ {clip(name, 200)} — history",
        description=clip("\n".join(lines) or "No submissions yet.", DESCRIPTION_LIMIT),
        colour=0x5865F2,
    )
    embed.set_footer(text=f"page {page.page}/{page.pages} · {page.total} submissions")
    return embed


HELP_TEXT = """\
**Practise Python, one problem at a time.**
`/practice [module] [difficulty] [problem]` — get a problem (a thread opens for you in servers).
Answer with a ```py code block in the thread or DM, a `.py` file, **Submit** or `/submit`.
`/hint` — up to three hints, each a little more specific.
`/reveal` — the reference solution, after 2 failed attempts or 2 hints.
`/skip` — a different problem.
`/auto start|status|stop` — let me choose: I adapt the difficulty per topic and explain why.
`/run` — run any Python snippet (with optional input) in the sandbox.
`/stats [user]` · `/history` — your progress, streak, XP and badges.

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
