"""Problems, verdicts, hints and solutions as Discord messages, within Discord's limits.

Every title and text comes from the variant the learner sees (template placeholders filled).
The words of a verdict are written here from the verdict's data; a hidden test is never
identified (no number, no count of hidden tests passed).
"""

from __future__ import annotations

import io

import discord

from bot.services.practice import Hinted, Judged, Offered
from bot.services.rewards import BADGES
from bot.ui.text import (
    DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    FIELD_LIMIT,
    MODAL_TITLE_LIMIT,
    clip,
    inline_code,
    no_markdown,
    plural,
    safe_block,
    spoiler,
)
from curriculum import Curriculum, Difficulty, Variant
from runner import ErrorDetail, Kind, Status, TestCase, TestOutcome, Verdict
from runner.judging import describe_expected

COLOURS = {
    Difficulty.BEGINNER: 0x57F287,
    Difficulty.INTERMEDIATE: 0xFEE75C,
    Difficulty.ADVANCED: 0xED4245,
}
INFO_COLOUR = 0x5865F2
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
GENERIC_HIDDEN_ADVICE = {
    Status.WRONG_ANSWER: "Check the cases the statement mentions, and the edges: empty input, "
    "a single item, duplicates, negative numbers, large values.",
    Status.TIME_LIMIT: "Hidden tests include large inputs: look for an approach that does less "
    "work per item.",
    Status.MEMORY_LIMIT: "Hidden tests include large inputs: avoid building big copies.",
    Status.RUNTIME_ERROR: "A hidden test's message and line are not shown (they could tell its "
    "input): try the edges yourself — empty input, a single item, missing keys, zero.",
}
INLINE_SOLUTION = 3000  # characters of reference code shown inline; longer goes as a file


def modal_title(variant_title: str) -> str:
    return clip(f"Submit: {variant_title}", MODAL_TITLE_LIMIT)


def example_text(variant: Variant, test: TestCase) -> str:
    """One visible test as the learner reads it: the call, steps, calls or input, and what
    should come out."""
    problem = variant.problem
    expected = describe_expected(variant.spec, test)
    if problem.kind is Kind.STDIO:
        return f"Input:{safe_block(test.stdin, 400)}Output:{safe_block(expected, 400)}"
    if test.steps:
        lines = []
        for step in test.steps:
            lines.append(f">>> {step.expr}")
            if step.checked:
                outcome = TestCase(
                    expected=step.expected,
                    expected_json=step.expected_json,
                    raises=step.raises,
                    match=step.match,
                    message=step.message,
                    exact_type=step.exact_type,
                )
                lines.append(describe_expected(variant.spec, outcome))
        shown = safe_block("\n".join(lines), 700, "py")
    elif problem.kind is Kind.CLASS:
        shown = f"{safe_block(test.calls, 400, 'py')}Results: `{clip(expected, 300)}`"
    else:
        call = f"{problem.entry_point}({test.args})"
        shown = safe_block(f"{call}  →  {expected}", 500, "py")
    if test.prints is not None:
        shown += f"Prints:{safe_block(test.prints, 300)}"
    return shown


def examples_text(variant: Variant) -> str:
    shown = [t for t in variant.spec.tests if not t.hidden]
    return "\n".join(
        f"**Example {number}**\n{example_text(variant, test)}"
        for number, test in enumerate(shown, 1)
    )


def problem_embed(offered: Offered, curriculum: Curriculum, how_to_answer: str) -> discord.Embed:
    problem, variant = offered.problem, offered.variant
    intro = ""
    if offered.reason:
        intro = f"*{offered.reason}*\n\n"
    elif offered.for_level is not None:
        intro = f"*Picked for your level: {offered.for_level.value}.*\n\n"
    tail = f"\n\n{how_to_answer}"
    body = variant.statement.strip() + "\n\n" + examples_text(variant)
    embed = discord.Embed(
        title=clip(variant.title, EMBED_TITLE_LIMIT),
        description=intro + clip(body, DESCRIPTION_LIMIT - len(intro) - len(tail)) + tail,
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


def _where(failed: TestOutcome | None) -> str:
    if failed is None:
        return ""
    return " on a hidden test" if failed.hidden else f" on example {failed.number}"


def error_text(error: ErrorDetail) -> str:
    """ "ValueError: bad input", or the type alone (a hidden test's message is not told)."""
    return f"{error.type}: {error.message}" if error.message else error.type


def headline(verdict: Verdict, test_seconds: float) -> str:
    failed, error = verdict.failed, verdict.error
    where = _where(failed)
    match verdict.status:
        case Status.ACCEPTED:
            return f"All {verdict.total} tests passed."
        case Status.WRONG_ANSWER if failed is not None and failed.hidden:
            return "Your code passes the examples, but a hidden test failed."
        case Status.WRONG_ANSWER:
            return f"Wrong answer{where}."
        case Status.RUNTIME_ERROR:
            what = inline_code(error_text(error), 300) if error else "It crashed"
            line = f" (line {error.line})" if error and error.line else ""
            return f"{what}{line}{where}."
        case Status.TIME_LIMIT:
            return (
                f"Took longer than {test_seconds:g} s{where}: an endless loop, or an "
                "approach too slow for big inputs?"
            )
        case Status.MEMORY_LIMIT:
            return f"Used more memory than allowed{where}."
        case Status.OUTPUT_LIMIT:
            return f"Printed more than allowed{where}."
        case Status.SYNTAX_ERROR:
            line = f" on line {error.line}" if error and error.line else ""
            said = no_markdown(error.message, 300) if error else ""
            return f"Python could not read the code{line}: {said}"
        case _:  # the runner's own words say why (a queue outage, an engine missing...)
            return verdict.summary or "The judge is having trouble; this attempt was not counted."


def _failure_details(judged: Judged) -> list[str]:
    verdict = judged.verdict
    failed = verdict.failed
    lines: list[str] = []
    if failed is not None and failed.hidden:
        if judged.hidden_note:
            lines.append(f"That test checks: *{clip(judged.hidden_note, 300)}*.")
        elif verdict.status in GENERIC_HIDDEN_ADVICE:
            lines.append(GENERIC_HIDDEN_ADVICE[verdict.status])
    elif failed is not None and verdict.status is not Status.SYNTAX_ERROR:
        if failed.input is not None:
            lines.append(f"**Input**{safe_block(failed.input, 500, 'py')}")
        if verdict.status is Status.WRONG_ANSWER:
            lines.append(
                f"**Expected**{safe_block(failed.expected or '', 400)}"
                f"**Got**{safe_block(failed.got or '(nothing)', 400)}"
            )
        if failed.message:  # it may name the program's own types: plain text only
            lines.append(no_markdown(failed.message, 300))
        if failed.stdout:
            lines.append(f"Your prints:{safe_block(failed.stdout, 300)}")
    error = verdict.error
    hidden = failed is not None and failed.hidden  # its traceback is its type alone
    if error is not None and verdict.status in (Status.RUNTIME_ERROR, Status.SYNTAX_ERROR):
        # A one-line "traceback" the summary already says (a missing function) is not repeated.
        if not hidden and error.traceback.strip() not in verdict.summary:
            lines.append(safe_block(error.traceback, 1200, "py"))
        if error.type == "EOFError":
            lines.append(
                "`input()` ran out of input: this problem gives you only the test's "
                "stdin (function problems give none — use the arguments)."
            )
    return lines


def _success_details(judged: Judged, spoil: bool) -> list[str]:
    recorded = judged.recorded
    if recorded is None:
        return []
    lines = []
    gains = []
    if recorded.xp_gained:
        gains.append(f"+{recorded.xp_gained} XP")
    gains.append(f"level {recorded.level.number}" + (" ⬆️" if recorded.level_up else ""))
    if recorded.streak:
        gains.append(f"🔥 {recorded.streak}-day streak")
    lines.append(" · ".join(gains))
    if not recorded.xp_gained:
        if recorded.revealed:
            lines.append("No XP, streak or badge: you had seen the reference solution.")
        elif not recorded.first_solve:
            lines.append(
                "No XP this time: you had solved this one before. Practice still keeps you sharp!"
            )
    if recorded.new_badges:
        lines.append(
            "🏅 New badge: "
            + ", ".join(f"**{BADGES[b].title}**" for b in recorded.new_badges if b in BADGES)
        )
    if recorded.daily_rank:
        lines.append(f"Daily challenge: solver #{recorded.daily_rank} in this server.")
    if recorded.first_solve:
        idea = judged.variant.explanation.strip()
        lines.append("**The idea:** " + (spoiler(idea) if spoil else idea))
    return lines


def verdict_embed(
    judged: Judged, *, test_seconds: float, spoil: bool, python_version: str | None = None
) -> discord.Embed:
    verdict, recorded = judged.verdict, judged.recorded
    lines = [headline(verdict, test_seconds)]
    if verdict.accepted:
        lines += _success_details(judged, spoil)
    else:
        lines += _failure_details(judged)
    if verdict.status is Status.SANDBOX_ERROR:
        lines.append("Please try again in a minute.")
    if recorded is not None and recorded.auto is not None:
        auto = recorded.auto
        if auto.promoted:
            lines.append(f"⬆️ Promoted to **{auto.difficulty.value}** in this topic.")
        if auto.demoted:
            lines.append(f"⬇️ Back to **{auto.difficulty.value}** in this topic for a bit.")
        if auto.remediation_queued:
            lines.append("A practice problem on this topic is queued for you next.")
    elif (
        not verdict.accepted
        and judged.reveal_allowed
        and verdict.status.blames_user
        and not (recorded is not None and recorded.revealed)  # already seen: no news
    ):
        lines.append("Stuck? **Reveal** shows the reference solution now.")
    if judged.switched:
        lines.append(f"(This is now your current problem: **{clip(judged.variant.title, 100)}**.)")
    embed = discord.Embed(
        title=VERDICT_TITLES[verdict.status],
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=0x57F287 if verdict.accepted else 0xED4245,
    )
    footer = [judged.problem.id]
    if verdict.accepted:
        footer.append(f"{verdict.passed}/{verdict.total} tests")
    if verdict.accepted or not any(t.hidden for t in verdict.tests):
        # a failed run's time could be a program spelling out a hidden input in sleeps
        footer.append(f"{verdict.duration_ms} ms")
    version = python_version or verdict.python_version
    if version:
        footer.append(f"Python {version}")
    if verdict.runtime:
        footer.append(verdict.runtime)
    embed.set_footer(text=" · ".join(footer))
    return embed


def hint_embed(hinted: Hinted) -> discord.Embed:
    """Every hint shown so far, so earlier ones can be read again."""
    hints = hinted.hints
    lines = [
        f"**Hint {n}/{hints.total}:** {text}"
        for n, text in enumerate(hinted.variant.hints[: hints.level], 1)
    ]
    if not hints.new:
        lines.append("That was the last hint.")
    if hints.level >= hints.total or hinted.reveal_allowed:
        lines.append(
            "**Reveal** shows the reference solution."
            if hinted.reveal_allowed
            else "After two failed attempts or two hints, **Reveal** unlocks."
        )
    if hinted.switched:
        lines.append(f"(This is now your current problem: **{clip(hinted.variant.title, 100)}**.)")
    return discord.Embed(
        title=f"💡 {clip(hinted.variant.title, 200)}",
        description=clip("\n\n".join(lines), DESCRIPTION_LIMIT),
        colour=INFO_COLOUR,
    )


def solution_message(variant: Variant) -> tuple[discord.Embed, discord.File | None]:
    """The reference solution: inline when short, else attached whole (never clipped)."""
    code = variant.solution.strip()
    idea = "**The idea:** " + variant.explanation.strip()
    file = None
    if len(code) <= INLINE_SOLUTION:
        text = safe_block(code, INLINE_SOLUTION + 20, "py") + "\n" + idea
    else:
        lines = code.count("\n") + 1
        file = discord.File(io.BytesIO((code + "\n").encode()), filename="solution.py")
        text = f"The reference solution is attached ({plural(lines, 'line')}).\n\n{idea}"
    embed = discord.Embed(
        title=f"📖 Solution: {clip(variant.title, 200)}",
        description=clip(text, DESCRIPTION_LIMIT),
        colour=INFO_COLOUR,
    )
    return embed, file
