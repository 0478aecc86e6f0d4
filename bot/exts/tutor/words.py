"""What the tutor's answers say, in words: why curated content came instead of an AI answer,
and the curated content itself. Plain Markdown strings, shared by the Discord messages and the
shell (`pydojo tutor …`).

Anything from the learner's program (values, messages) is shown as inline code it cannot
break out of.
"""

from __future__ import annotations

from bot.services.tutor import service as tutor
from bot.services.tutor.model import Outcome
from bot.services.tutor.service import TutorReply
from bot.ui.text import clip, inline_code, no_markdown
from runner import Status

TITLES = {
    "hint": "🤖 Tailored hint",
    "explain": "🔎 What went wrong",
    "review": "🧐 Review",
    "ask": "💬 Tutor",
}
CURATED_TITLES = {"hint": "💡 Hint", **{k: v for k, v in TITLES.items() if k != "hint"}}
AI_FOOTER = "Written by an AI tutor: it can be wrong; the tests decide."
MISCONFIGURED = "The tutor is misconfigured right now (the bot's owner can see why in the logs)."
BUSY = "The tutor is having trouble right now; try again in a moment."

NOTES = {
    tutor.OFF: "The AI tutor is off on this bot; its owner can switch it on with a Gemini API "
    "key (`GEMINI_API_KEY`, see the README).",
    tutor.NO_CODE: "Send an attempt first, and the tutor can look at your code.",
    tutor.SERVER_OFF: "This server's managers have switched the AI tutor off (`/settings`); "
    "the course's own hints and solutions are all here.",
    tutor.SERVER_CAP: "This server has used today's AI tutor allowance; it resets at midnight UTC.",
    tutor.DAILY_TOKENS: "The tutor has used today's budget; it resets at midnight UTC.",
    tutor.REFUSED: "The tutor's answer gave away too much of the solution, so I held it back.",
    Outcome.QUOTA_MINUTE: "The tutor is busy right now; try again in a minute.",
    Outcome.QUOTA_DAY: "The tutor has used up today's quota; it will be back tomorrow.",
    Outcome.TIMEOUT: "The tutor didn't answer in time; try again in a moment.",
    Outcome.SERVER: BUSY,
    Outcome.TRANSPORT: "The tutor can't be reached right now; try again in a moment.",
    Outcome.BLOCKED_PROMPT: "The tutor couldn't take that one on; try rephrasing.",
    Outcome.BLOCKED_ANSWER: "The tutor couldn't answer that one; try rephrasing.",
    Outcome.TRUNCATED: "The tutor's answer came back incomplete; try again in a moment.",
    Outcome.BAD_OUTPUT: "The tutor's answer came back garbled; try again in a moment.",
    Outcome.UNKNOWN_MODEL: MISCONFIGURED,
    Outcome.REJECTED: MISCONFIGURED,
}


def title(reply: TutorReply) -> str:
    return (TITLES if reply.from_ai else CURATED_TITLES)[reply.feature]


def note(reply: TutorReply) -> str:
    """Why curated content came instead of an AI answer ("" for an AI answer)."""
    if reply.from_ai:
        return ""
    if reply.reason == tutor.HEARTS:
        hearts = reply.hearts
        wait = ""
        if hearts is not None and hearts.next_in is not None:
            minutes = max(1, round(hearts.next_in.total_seconds() / 60))
            wait = f" — the next one is back in {minutes} min"
        return f"You're out of tutor hearts for now{wait}. Take a moment with your code!"
    return NOTES.get(reply.reason, BUSY)


def code(text: str | None, limit: int = 200) -> str:
    """Program output as an inline code span it cannot break out of."""
    return inline_code(text, limit)


def curated_hints(reply: TutorReply) -> str:
    hinted = reply.hinted
    assert hinted is not None
    shown = hinted.variant.hints[: hinted.hints.level]
    lines = [f"**Hint {n}/{hinted.hints.total}:** {h}" for n, h in enumerate(shown, 1)]
    if not hinted.hints.new:
        lines.append("That was the last hint.")
    return "\n\n".join(lines)


def curated_explanation(reply: TutorReply) -> str:
    """What the verdict itself says, in words."""
    verdict = reply.situation.verdict
    assert verdict is not None
    failed, error = verdict.failed, verdict.error
    if verdict.status is Status.WRONG_ANSWER and failed is not None:
        if failed.hidden:
            what = (
                f": it checks {clip(failed.note, 200).rstrip('.')}."
                if failed.note
                else (" — think about the edges: empty input, one item, duplicates, negatives.")
            )
            return "Your code passes the examples, but a hidden test failed" + what
        text = (
            f"For {code(failed.input)} the answer should be {code(failed.expected)}, but "
            f"your code gave {code(failed.got)}."
        )
        return text + (f"\n{code(failed.message, 300)}" if failed.message else "")
    if error is not None and verdict.status in (Status.RUNTIME_ERROR, Status.SYNTAX_ERROR):
        where = f" on line {error.line}" if error.line else ""
        said = f": {code(error.message, 300)}" if error.message else ""
        return f"Your code raised {code(error.type, 60)}{where}{said}"
    if verdict.status is Status.TIME_LIMIT:
        return (
            "Your code took too long on a test: look for a loop that never ends, or work "
            "repeated inside a loop that could be done once."
        )
    if verdict.status is Status.MEMORY_LIMIT:
        return "Your code used too much memory: look for lists that grow without need."
    return no_markdown(verdict.summary, 300)


def curated_review(reply: TutorReply) -> str:
    variant = reply.situation.variant
    return (
        "Compare your code with the reference solution:\n"
        f"```python\n{variant.solution.strip().replace('```', '` ``')}\n```\n"
        f"**The idea:** {variant.explanation.strip()}"
    )


def curated_ask(reply: TutorReply) -> str:
    if reply.situation.solved:
        return "Meanwhile, **Review** compares your solution with the reference."
    return "Meanwhile, `/hint` gives the problem's curated hints, one step at a time."


def body(reply: TutorReply) -> str:
    """The answer itself: the AI's text, or the curated content served instead."""
    if reply.text is not None:
        return reply.text
    return {
        "hint": curated_hints,
        "explain": curated_explanation,
        "review": curated_review,
        "ask": curated_ask,
    }[reply.feature](reply)


def plain(reply: TutorReply) -> str:
    """The whole answer as text, for the shell."""
    source = (
        reply.model + (", from the cache" if reply.served == "cached" else "")
        if (reply.from_ai)
        else "curated"
    )
    lines = [f"── {title(reply)} ({source}) ──"]
    if note(reply):
        lines.append(note(reply))
    lines.append(body(reply))
    if reply.hearts is not None:
        lines.append(reply.hearts.describe())
    return "\n".join(lines)
