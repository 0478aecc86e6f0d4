"""Finding the code in a chat message, the way the reference bots do.

Fenced blocks beat inline code; a Python language tag (or none) is accepted; text outside the
block is ignored; the code is dedented. Lookalike ticks get a friendly nudge.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

PYTHON_TAGS = {"", "py", "python", "python3", "py3", "pycon", "python-repl"}
FENCED = re.compile(r"```(?P<lang>[A-Za-z0-9_+\-]*)[ \t]*\n?(?P<code>.*?)```", re.DOTALL)
INLINE = re.compile(r"(?<!`)`(?P<code>[^`\n]+)`(?!`)")
WRONG_TICKS = re.compile(r"[´‘’′‵ˋ]{3}")
QUOTE_FENCE = re.compile(r"^\s*('''|\"\"\")\s*(py|python|py3|python3)?\s*$", re.MULTILINE | re.I)
REPL_PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)", re.MULTILINE)
UNCLOSED = re.compile(r"```(?P<lang>[A-Za-z0-9_+\-]*)[ \t]*\n")
TILDE_FENCE = re.compile(r"^\s*~~~", re.MULTILINE)
# A line only code starts with: bare code pasted with no block around it.
CODE_LINE = re.compile(
    r"^\s*(def \w+\s*\(|class \w+|import \w|from \w[\w.]* import |return\b|print\(|"
    r"for \w+ in |while .+:\s*$|if .+:\s*$)",
    re.MULTILINE,
)
DEFINITION = re.compile(r"^\s*(def \w+\s*\(.*\)\s*(->.*)?:|class \w+.*:)\s*$", re.MULTILINE)
BLOCK_EXAMPLE = "\\`\\`\\`py\nyour code\n\\`\\`\\`"


@dataclass(frozen=True)
class Extracted:
    code: str | None
    nudge: str | None = None  # advice when the message looks like a failed attempt at a block


def extract_code(content: str) -> Extracted:
    blocks = list(FENCED.finditer(content))
    python = [b for b in blocks if b.group("lang").lower() in PYTHON_TAGS]
    if python:
        code = python[0].group("code")
        if python[0].group("lang").lower() in ("pycon", "python-repl") or REPL_PROMPT.search(code):
            code = _strip_repl(code)
        return Extracted(textwrap.dedent(code).strip("\n") + "\n")
    if blocks:
        tag = blocks[0].group("lang")
        return Extracted(None, f"That block is tagged `{tag}`; use ```py for Python.")
    if QUOTE_FENCE.search(content):
        return Extracted(
            None,
            "Those are quotes ('''); code blocks use three backticks: "
            "` — the key left of 1 on most keyboards.\n"
            "\\`\\`\\`py\nyour code\n\\`\\`\\`",
        )
    if WRONG_TICKS.search(content):
        return Extracted(
            None,
            "Those look like the wrong ticks (´ or ’). Code blocks use "
            "backticks: ` — the key left of 1 on most keyboards.",
        )
    unclosed = UNCLOSED.search(content)
    if unclosed and unclosed.group("lang").lower() in PYTHON_TAGS:
        return Extracted(
            None,
            "That code block is not closed: end it with ``` on a line of its own after your code.",
        )
    if TILDE_FENCE.search(content):
        return Extracted(
            None,
            "Discord makes code blocks from backticks, not tildes (~~~): ` — the key left of 1 "
            f"on most keyboards.\n{BLOCK_EXAMPLE}",
        )
    inline = INLINE.search(content)
    if inline and "\n" not in inline.group("code"):
        return Extracted(None, f"Put your code in a block so I can run it:\n{BLOCK_EXAMPLE}")
    if _bare_code(content):
        return Extracted(
            None,
            "That looks like Python without a code block around it. Put it in one so I can run "
            f"it (and Discord keeps it as you wrote it):\n{BLOCK_EXAMPLE}",
        )
    return Extracted(None)


def _bare_code(content: str) -> bool:
    """Python pasted as plain text: a function or class header, or a line only code starts
    with in text that compiles."""
    if DEFINITION.search(content):
        return True
    if not CODE_LINE.search(content):
        return False
    try:
        compile(content, "<message>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _strip_repl(code: str) -> str:
    """Keep only what was typed at >>> / ... prompts (pasted REPL sessions)."""
    lines = [
        line[4:] if len(line) > 3 else "" for line in code.splitlines() if REPL_PROMPT.match(line)
    ]
    return "\n".join(lines) if lines else code


def unfence(text: str) -> str:
    """Code pasted into a form, without the ```py fence around it if it came with one."""
    stripped = text.strip()
    match = FENCED.fullmatch(stripped)
    if match is None or match.group("lang").lower() not in PYTHON_TAGS:
        return text
    return textwrap.dedent(match.group("code")).strip("\n") + "\n"
