"""`pydojo tutor …` and `pydojo curriculum generate` as a user runs them from a shell: the real
course, the real sandbox, google-genai talking to the fake Gemini server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gemini_server import FakeGemini

from .conftest import PRIMARY

pytestmark = pytest.mark.docker

WRONG = "def digital_root(n):\n    return sum(int(d) for d in str(n))\n"
RIGHT = (
    "def digital_root(n):\n    while n >= 10:\n        n = sum(int(d) for d in str(n))\n"
    "    return n\n"
)


def pydojo(
    tmp_path: Path, *args: str, gemini: FakeGemini | None
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYDOJO_") and k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    }
    env |= {
        "PYDOJO_DATA_DIR": str(tmp_path / "data"),
        "PYDOJO_LOG_LEVEL": "WARNING",
        "PYDOJO_TUTOR__PRIMARY_MODEL": PRIMARY,
        "PYDOJO_TUTOR__BACKOFF_SECONDS": "0.01",
    }
    if gemini is not None:
        env |= {"GEMINI_API_KEY": "shell-key", "PYDOJO_TUTOR__BASE_URL": gemini.url}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )


def test_hint_ask_review_and_usage_from_a_shell(
    sandbox: None, gemini: FakeGemini, tmp_path: Path
) -> None:
    (tmp_path / "wrong.py").write_text(WRONG)
    (tmp_path / "right.py").write_text(RIGHT)
    gemini.reply(
        "Your code adds the digits once. What happens when that sum has two digits "
        "itself, like 38 becoming 11? The problem wants you to keep going until one "
        "digit is left."
    )
    hint = pydojo(tmp_path, "tutor", "hint", "math-digital-root", "wrong.py", gemini=gemini)
    assert hint.returncode == 0, hint.stderr
    assert "Wrong answer" in hint.stdout and "keep going until one digit" in hint.stdout
    assert f"Tailored hint ({PRIMARY})" in hint.stdout and "9/10 tutor hearts" in hint.stdout
    (sent,) = gemini.received
    assert sent.api_key == "shell-key" and sent.sections("learner_code") == [WRONG]

    gemini.reply_json(
        {"kind": "answer", "reply": "A `while` loop repeats while its condition holds."}
    )
    ask = pydojo(
        tmp_path, "tutor", "ask", "math-digital-root", "How do I repeat something?", gemini=gemini
    )
    assert ask.returncode == 0 and "while` loop repeats" in ask.stdout

    gemini.reply("**Readability:** clear.\n**Complexity:** O(log n) per pass.")
    review = pydojo(tmp_path, "tutor", "review", "math-digital-root", "right.py", gemini=gemini)
    assert review.returncode == 0, review.stderr
    assert "Accepted" in review.stdout and "O(log n)" in review.stdout

    usage = pydojo(tmp_path, "tutor", "usage", gemini=gemini)
    assert "3 requests" in usage.stdout
    assert "hint        1 asked (ai 1); 1/1 (100%)" in usage.stdout  # then it was accepted


def test_without_a_key_the_shell_gets_curated_content(sandbox: None, tmp_path: Path) -> None:
    (tmp_path / "wrong.py").write_text(WRONG)
    hint = pydojo(tmp_path, "tutor", "hint", "math-digital-root", "wrong.py", gemini=None)
    assert hint.returncode == 0, hint.stderr
    assert "Hint 1/3" in hint.stdout and "GEMINI_API_KEY" in hint.stdout
    generate = pydojo(tmp_path, "curriculum", "generate", "--module", "strings", gemini=None)
    assert generate.returncode == 2 and "GEMINI_API_KEY" in generate.stderr
    unknown = pydojo(tmp_path, "tutor", "hint", "no-such-problem", gemini=None)
    assert unknown.returncode == 2 and "no problem with id" in unknown.stderr


def digit_product(expected: dict[str, str]) -> dict[str, object]:
    cases = list(expected.items())
    return {
        "title": "Product of the digits",
        "statement": "Write `digit_product(n)` that returns the product of the decimal digits "
        "of the non-negative integer n. A single digit is its own product, and "
        "any zero digit makes the product zero.",
        "entry_point": "digit_product",
        "starter": "def digit_product(n):\n    pass\n",
        "solution": "def digit_product(n):\n    product = 1\n    for d in str(n):\n"
        "        product *= int(d)\n    return product\n",
        "wrong_solutions": [
            {
                "note": "adds the digits instead",
                "code": "def digit_product(n):\n    return sum(int(d) for d in str(n))\n",
            }
        ],
        "explanation": "Walk over the digits of the number's text and multiply them together; "
        "linear in the number of digits.",
        "hints": [
            "Think of the number as a row of digits.",
            "Start from a value that does not change a product, then combine each digit.",
            "Turn each character back into a number before combining it.",
        ],
        "tags": ["digits"],
        "examples": [{"args": a, "expected": e} for a, e in cases[:2]],
        "tests": [{"args": a, "expected": e, "note": ""} for a, e in cases[2:]],
    }


def test_generate_prints_what_was_accepted_and_why_the_rest_were_not(
    sandbox: None, gemini: FakeGemini, tmp_path: Path
) -> None:
    right = {"234": "24", "0": "0", "5": "5", "10": "0", "999": "729", "1111": "1", "907": "0"}
    gemini.reply_json(digit_product({**right, "999": "728"}))  # a wrong expected value
    gemini.reply_json(digit_product(right))
    done = pydojo(
        tmp_path,
        "curriculum",
        "generate",
        "--module",
        "math-number-theory",
        "--difficulty",
        "beginner",
        "--count",
        "1",
        gemini=gemini,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith('rejected  "Product of the digits"')
    assert "reference solution not accepted" in lines[0]
    assert lines[1].startswith("accepted  math-number-theory-fresh-")
    assert lines[-1] == "1 accepted, 1 rejected (wanted 1)"
    assert len(gemini.received) == 2
    usage = pydojo(tmp_path, "tutor", "usage", gemini=gemini)
    assert "verified generated problems: 1" in usage.stdout
