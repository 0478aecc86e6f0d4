"""A program's output: inline up to ~10 lines / 1000 characters, the whole of it as a file."""

from __future__ import annotations

import io

import discord

from bot.ui.text import CONTENT_LIMIT, clip, safe_block
from runner import RunResult, RunStatus

INLINE_LINES, INLINE_CHARS = 10, 1000
EMOJI = {
    RunStatus.OK: "✅",
    RunStatus.ERROR: "❌",
    RunStatus.TIMEOUT: "⏱️",
    RunStatus.MEMORY: "🧠",
    RunStatus.OUTPUT_LIMIT: "📢",
    RunStatus.SANDBOX_ERROR: "⚠️",
}


def run_message(result: RunResult) -> tuple[str, discord.File | None]:
    head = f"{EMOJI[result.status]} "
    if result.status is RunStatus.SANDBOX_ERROR:
        return head + "The sandbox is having trouble right now; please try again soon.", None
    head += f"exit {result.exit_code}" if result.exit_code is not None else result.status.value
    head += f" · {result.duration_ms} ms"
    if result.python_version:
        head += f" · Python {result.python_version}"
        if result.runtime == "runsc":
            head += " (gVisor)"
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
