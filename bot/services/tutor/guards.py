"""Checks every tutor reply passes, in code, before a learner sees it.

Prompts alone leak answers, so a reply that must not give the solution away is refused when:
it holds fenced code longer than a couple of lines; it shares a long run of the reference
solution's tokens; or — strongest — any code in it, alone, joined up or put under the
problem's own signature, passes the problem's tests in the sandbox. A passing reply is a
leaked answer. A reply whose code cannot be checked (the sandbox is down) is refused too.
"""

from __future__ import annotations

import logging
import math
import re
import textwrap
from dataclasses import dataclass
from difflib import SequenceMatcher

from curriculum import Variant
from runner import Kind, Status

log = logging.getLogger(__name__)

MAX_CODE_LINES = 2  # in one fenced block
MAX_CANDIDATES = 4  # programs judged per reply
FENCED = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n?(.*?)(?:```|\Z)", re.S)
INLINE = re.compile(r"(?<!`)`([^`\n]{3,300})`(?!`)")
TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|==|!=|<=|>=|//|\*\*|->|[^\s\w]")


@dataclass(frozen=True)
class Checked:
    ok: bool
    reason: str = ""  # long_code | overlap | passes_tests | unverifiable
    detail: str = ""


def fenced_blocks(text: str) -> list[str]:
    return [m.group(2) for m in FENCED.finditer(text)]


def code_fragments(text: str) -> list[str]:
    """Fenced blocks, then inline code spans (outside fences)."""
    blocks = fenced_blocks(text)
    outside = FENCED.sub(" ", text)
    return blocks + [m.group(1) for m in INLINE.finditer(outside)]


def long_code(text: str, max_lines: int = MAX_CODE_LINES) -> int:
    """The longest fenced block's count of non-blank lines, if over ``max_lines``; else 0."""
    longest = max(
        (sum(1 for line in b.splitlines() if line.strip()) for b in fenced_blocks(text)), default=0
    )
    return longest if longest > max_lines else 0


def tokens(text: str) -> list[str]:
    without_comments = re.sub(r"#[^\n]*", " ", text)
    return TOKEN.findall(without_comments)


def reference_body(variant: Variant) -> list[str]:
    """The reference's tokens, less the lines the starter already shows (signatures)."""
    public = {line.strip() for line in variant.starter.splitlines() if line.strip()}
    body = [line for line in variant.solution.splitlines() if line.strip() not in public]
    return tokens("\n".join(body))


def overlap(text: str, variant: Variant) -> tuple[int, int]:
    """(longest run of reference tokens found in ``text``, the run that counts as a leak)."""
    body = reference_body(variant)
    if not body:
        return 0, 1
    reply = tokens(text)
    matcher = SequenceMatcher(None, reply, body, autojunk=False)
    run = matcher.find_longest_match(0, len(reply), 0, len(body)).size
    return run, max(4, min(16, math.ceil(0.6 * len(body))))


def _compiles(source: str) -> bool:
    try:
        compile(source, "<reply>", "exec", dont_inherit=True)  # compiling never runs it
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _signature(variant: Variant) -> str | None:
    entry = variant.problem.entry_point
    for text in (variant.starter, variant.solution):
        for line in text.splitlines():
            if re.match(rf"\s*def\s+{re.escape(entry)}\s*\(", line):
                return line.strip()
    return None


def candidates(text: str, variant: Variant) -> list[str]:
    """Programs that code in the reply could amount to, most direct first."""
    fragments = [textwrap.dedent(f).strip("\n") for f in code_fragments(text)]
    fragments = [f for f in fragments if f.strip()]
    if not fragments:
        return []
    found = [*fenced_blocks(text)[:2], "\n".join(fragments)]
    problem = variant.problem
    signature = _signature(variant) if problem.kind is Kind.FUNCTION else None
    joined = "\n".join(fragments)
    if signature and not re.search(rf"\bdef\s+{re.escape(problem.entry_point)}\b", joined):
        body = textwrap.indent(joined, "    ")
        found.append(f"{signature}\n{body}\n")
        lines = [line for line in joined.splitlines() if line.strip()]
        if len(lines) == 1 and not lines[0].lstrip().startswith("return"):
            found.append(f"{signature}\n    return {lines[0].strip()}\n")
    unique = list(dict.fromkeys(textwrap.dedent(c) for c in found))
    return [c for c in unique if _compiles(c)][:MAX_CANDIDATES]


async def passes_tests(text: str, variant: Variant, runner: object) -> Checked:
    for source in candidates(text, variant):
        verdict = await runner.judge(source, variant.spec)  # type: ignore[attr-defined]
        if verdict.status is Status.SANDBOX_ERROR:
            return Checked(False, "unverifiable", "the sandbox could not check the reply's code")
        if verdict.accepted:
            return Checked(False, "passes_tests", "code in the reply passes the problem's tests")
    return Checked(True)


async def check_reply(text: str, variant: Variant, runner: object) -> Checked:
    """Whether a reply that must not give the answer away may be shown."""
    lines = long_code(text)
    if lines:
        return Checked(False, "long_code", f"a code block of {lines} lines")
    run, limit = overlap(text, variant)
    if run >= limit:
        return Checked(False, "overlap", f"{run} tokens in a row from the reference solution")
    return await passes_tests(text, variant, runner)
