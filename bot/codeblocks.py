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
REPL_PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)", re.MULTILINE)


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
    if WRONG_TICKS.search(content):
        return Extracted(None, "Those look like the wrong ticks (´ or ’). Code blocks use "
                               "backticks: ` — the key left of 1 on most keyboards.")
    inline = INLINE.search(content)
    if inline and "\n" not in inline.group("code"):
        return Extracted(None, "Put your code in a block so I can run it:\n"
                               "\\`\\`\\`py\nyour code\n\\`\\`\\`")
    return Extracted(None)


def _strip_repl(code: str) -> str:
    """Keep only what was typed at >>> / ... prompts (pasted REPL sessions)."""
    lines = [line[4:] if len(line) > 3 else "" for line in code.splitlines()
             if REPL_PROMPT.match(line)]
    return "\n".join(lines) if lines else code
