"""Hints that give the reference away are flagged; the examples in AUTHORING.md hold."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from curriculum.overlap import hint_failures, overlap

AUTHORING = Path(__file__).parents[2] / "curriculum" / "AUTHORING.md"


def fenced(label: str) -> str:
    """The body of the fenced block whose info string is ``label`` (e.g. "toml good-hints")."""
    match = re.search(rf"^```{label}\n(.*?)^```$", AUTHORING.read_text(), re.S | re.M)
    assert match, f"AUTHORING.md has no ```{label} block"
    return match.group(1)


def test_the_good_hints_of_authoring_pass_and_the_bad_ones_are_flagged() -> None:
    reference = fenced("python reference")
    good = tomllib.loads(fenced("toml good-hints"))["hints"]
    bad = tomllib.loads(fenced("toml bad-hints"))["hints"]
    assert len(good) == 3 and len(bad) >= 3
    assert hint_failures("first-seen", good, reference) == []
    failures = hint_failures("first-seen", bad, reference)
    assert [f.split(":")[1].strip().split(" ")[:2] for f in failures] == [
        ["hint", str(n)] for n in range(1, len(bad) + 1)
    ]


REFERENCE = '''
def window_starts(text, word):
    """Docstrings and # comments are not code a hint can leak."""
    need = sorted(word)
    m = len(word)
    starts = []
    for i in range(len(text) - m + 1):  # the letter entering on the right
        if sorted(text[i:i + m]) == need:
            starts.append(i)
    return starts
'''


def test_a_line_of_the_reference_is_flagged_with_the_hint_number() -> None:
    hints = [
        "Compare sorted letters.",
        "Slide a window of the word's length.",
        "Then `if sorted(text[i:i + m]) == need:` record i.",
    ]
    (failure,) = hint_failures("windows", hints, REFERENCE)
    assert failure.startswith("windows: hint 3 contains a line of the reference solution")
    assert "if sorted ( text [ i : i + m ] ) == need" in failure


def test_renamed_code_is_still_code() -> None:
    renamed = (
        "target = sorted(w); k = len(w); out = []; for j in range(len(s) - k + 1): "
        "when sorted(s[j:j + k]) == target, out.append(j)"
    )
    found = overlap(renamed, REFERENCE)
    assert found.too_close and not found.line


def test_naming_tools_prose_comments_and_the_starter_are_fine() -> None:
    assert not overlap(
        "Use `sorted()` on each piece and compare it with `sorted(word)`.", REFERENCE
    ).too_close
    assert not overlap(
        "Think of the letter entering on the right and the one leaving.", REFERENCE
    ).too_close  # the reference's comment is not its code
    starter = "def window_starts(text, word):\n    m = len(word)\n    starts = []\n"
    quoted = "Start from `m = len(word)` and `starts = []` as given; then slide."
    assert overlap(quoted, REFERENCE).line
    assert not overlap(quoted, REFERENCE, starter).too_close  # the learner already has them


def test_a_short_reference_allows_less() -> None:
    short = "def common(a, b):\n    return sorted(set(a) & set(b))\n"
    assert overlap("Intersect two sets with `&`, then sort.", short).shared <= 6
    assert overlap("Return sorted of set(a) & set(b).", short).too_close


def test_naming_a_construct_is_not_quoting_the_solution() -> None:
    reference = (
        "def port(config):\n"
        "    try:\n"
        "        return int(config['port'])\n"
        "    except KeyError as err:\n"
        "        raise ConfigError('no port') from err\n"
    )
    hint = "Wrap the lookup in `try`/`except KeyError as err` and raise your own error `from err`."
    assert not overlap(hint, reference).too_close
    assert overlap("Then `return int(config['port'])`.", reference).line  # logic is still caught
