"""Hints that give the answer away: code-like overlap between a hint and the reference solution.

A hint may name a tool (`split()`, `% 26`) or describe a step in words, but a stuck learner must
not be able to paste it into the answer. Both texts become normalised token streams (case folded,
string literals in one quoting style, comments and docstrings dropped, lines the starter already
shows left out). A hint is flagged when it contains a whole line of the reference, or when too
many of its tokens lie in runs it shares with the reference: runs of ``NGRAM`` tokens as written,
or runs of ``SHAPE_NGRAM`` tokens once the program's own names are abstracted away, so that
renaming the variables does not hide pasted code.
"""

from __future__ import annotations

import builtins
import io
import keyword
import re
import tokenize
from dataclasses import dataclass

NGRAM = 3  # a run this long with an operator, literal or keyword in it is code, not vocabulary
MAX_SHARED = 10  # hint tokens allowed inside runs shared with the reference
SHARE_OF_SMALL = 0.5  # for a short reference, at most this share of its tokens...
MIN_SMALL = 6  # ...but naming one call, like `sorted(words)`, is always fine
MIN_LINE = 4  # a reference line this long (in tokens) must not appear whole in a hint
SHAPE_NGRAM = 5  # names abstracted: English has no 5-token run with two operators matching code
SHAPE_OPERATORS = 2

_VOCABULARY = set(keyword.kwlist) | {name for name in dir(builtins) if not name.startswith("_")}
_OPERATORS = {
    "=",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "+=",
    "-=",
    "*=",
    "/=",
    "//=",
    "%=",
    "**=",
    "[",
    "]",
    "{",
    "}",
    "->",
    ":=",
    "&",
    "|",
    "^",
    "&=",
    "|=",
    "^=",
    ";",
    "(",
    ")",
}
_GROUPING = {"(", ")"}  # count in shapes, but "(lo, hi)" alone is a list of names, not code
_SIGNATURES = {"def", "class", "async", "@"}  # the interface, shown in the statement anyway
# Lines that spell a construct rather than the solution's logic: naming `except KeyError as err`
# or `from collections import Counter` is naming a tool. Conditions, loops and assignments count.
_CONSTRUCTS = _SIGNATURES | {"except", "with", "try", "finally", "else", "import", "from"}

# A quoted literal (a quote right after a letter is an apostrophe), words, operators, the rest.
_HINT_TOKEN = re.compile(
    r"""(?<!\w)(?P<q>['"])(?P<s>[^'"\n]{0,40}?)(?P=q)(?!\w)"""
    r"|\w+|==|!=|<=|>=|//=|\*\*=|[-+*/%&|^]=|//|\*\*|->|:=|[^\s\w`]"
)
_LAYOUT = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
    tokenize.ENCODING,
}


@dataclass(frozen=True)
class Overlap:
    shared: int  # hint tokens inside runs shared with the reference
    reference: int  # tokens of the reference's body: no signatures, no lines the starter shows
    line: str  # a whole reference line found in the hint, or ""
    sample: str  # the longest shared run, in the hint's tokens

    @property
    def limit(self) -> float:
        return min(MAX_SHARED, max(MIN_SMALL, SHARE_OF_SMALL * self.reference))

    @property
    def too_close(self) -> bool:
        return bool(self.line) or self.shared > self.limit


def hint_tokens(text: str) -> list[str]:
    """Tokens of prose that may hold code; backticks only mark code, so they are dropped."""
    return [
        _literal(m.group("s")) if m.group("q") else m.group().lower()
        for m in _HINT_TOKEN.finditer(text)
    ]


def code_lines(source: str) -> list[list[str]]:
    """The logical lines of ``source`` as normalised tokens, without docstrings or comments.

    Source that does not tokenise falls back to the prose tokenizer line by line, so a broken
    reference is reported by the sandbox check rather than crashing this one.
    """
    try:
        raw = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return [hint_tokens(line) for line in source.splitlines() if line.strip()]
    lines: list[list[str]] = []
    current: list[str] = []
    for token in [*raw, None]:
        if token is None or token.type == tokenize.NEWLINE:
            docstring = len(current) == 1 and current[0].startswith("'")
            if current and not docstring:
                lines.append(current)
            current = []
        elif token.type not in _LAYOUT:
            current.append(_normalise(token))
    return lines


def overlap(hint: str, solution: str, starter: str = "") -> Overlap:
    """How much of ``solution``'s code ``hint`` repeats."""
    words = hint_tokens(hint)
    given = code_lines(starter)
    lines = [line for line in code_lines(solution) if line not in given]
    body = [line for line in lines if line[0] not in _SIGNATURES]
    stream = [token for line in body for token in [*line, ";"]]  # "a = 0; b = 0" is two lines
    covered = [False] * len(words)
    _cover(covered, words, stream, NGRAM, strength=1)
    _cover(covered, _shape(words), _shape(stream), SHAPE_NGRAM, strength=SHAPE_OPERATORS)
    return Overlap(
        shared=sum(covered),
        reference=sum(len(line) for line in body),
        line=_whole_line(words, lines),
        sample=_longest_run(words, covered),
    )


def hint_failures(
    problem_id: str, hints: list[str] | tuple[str, ...], solution: str, starter: str = ""
) -> list[str]:
    """One failure per hint that gives the reference away, naming the hint by its number."""
    failures = []
    for number, hint in enumerate(hints, 1):
        found = overlap(hint, solution, starter)
        if found.line:
            failures.append(
                f"{problem_id}: hint {number} contains a line of the reference "
                f"solution ({found.line!r}); describe the step in words instead"
            )
        elif found.too_close:
            failures.append(
                f"{problem_id}: hint {number} repeats the reference solution's code "
                f"({found.shared} tokens shared, at most {found.limit:.0f}; e.g. "
                f"{found.sample!r}); point to the idea in words or show a different "
                "situation"
            )
    return failures


def _literal(text: str) -> str:
    return f"'{text.lower()}'"


def _normalise(token: tokenize.TokenInfo) -> str:
    if token.type == tokenize.STRING:
        match = re.fullmatch(r"(?is)[rbuf]*('''|\"\"\"|'|\")(.*)\1", token.string)
        return _literal(match.group(2)) if match else token.string.lower()
    return token.string.lower()


def _shape(tokens: list[str]) -> list[str]:
    """The program's own names become NAME; keywords, builtins and attribute names stay."""
    return [
        "NAME"
        if token.isidentifier() and token not in _VOCABULARY and (i == 0 or tokens[i - 1] != ".")
        else token
        for i, token in enumerate(tokens)
    ]


def _strength(gram: tuple[str, ...]) -> int:
    return sum(
        (token in _OPERATORS and token not in _GROUPING)
        or token[0].isdigit()
        or token[0] == "'"
        or token in _VOCABULARY
        for token in gram
    )


def _cover(covered: list[bool], words: list[str], code: list[str], n: int, strength: int) -> None:
    """Mark the words inside runs of ``n`` tokens that ``code`` has too; a run that the hint
    mentions twice counts once."""
    grams = {tuple(code[i : i + n]) for i in range(len(code) - n + 1)}
    seen = set()
    for i in range(len(words) - n + 1):
        gram = tuple(words[i : i + n])
        if gram in grams and gram not in seen and _strength(gram) >= strength:
            seen.add(gram)
            covered[i : i + n] = [True] * n


def _whole_line(words: list[str], lines: list[list[str]]) -> str:
    """A line of the reference that the hint holds whole. Signatures (the interface, shown in
    the statement anyway) and construct headers such as ``except KeyError as err`` may be
    quoted: they name a tool, not the solution's logic."""
    for line in lines:
        body = line[:-1] if line[-1] == ":" else line
        if len(body) < MIN_LINE or body[0] in _CONSTRUCTS:
            continue
        if any(words[i : i + len(body)] == body for i in range(len(words) - len(body) + 1)):
            return " ".join(body)
    return ""


def _longest_run(words: list[str], covered: list[bool]) -> str:
    best, start = (0, 0), None
    for i, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            best, start = max(best, (i - start, start)), None
    length, begin = best
    return " ".join(words[begin : begin + length])
