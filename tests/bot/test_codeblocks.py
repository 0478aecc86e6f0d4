"""Code-block parsing like the reference bots."""

from __future__ import annotations

import pytest

from bot.codeblocks import Extracted, extract_code, unfence


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("```py\nprint(1)\n```", "print(1)\n"),
        (
            "here you go:\n```python\n    def f():\n        return 1\n```\nthanks!",
            "def f():\n    return 1\n",
        ),
        ("```\nx = 1\n```", "x = 1\n"),
        ("```py print(2)```", "print(2)\n"),
        ("```js\nno()\n```\n```py\nyes()\n```", "yes()\n"),
        ("```pycon\n>>> x = 2\n>>> print(x)\n2\n```", "x = 2\nprint(x)\n"),
        ("`inline` and ```py\nblock()\n```", "block()\n"),
    ],
)
def test_code_is_found(message: str, code: str) -> None:
    assert extract_code(message).code == code


@pytest.mark.parametrize(
    ("message", "nudge"),
    [
        ("´´´py\nprint(1)\n´´´", "wrong ticks"),
        ("’’’py\nprint(1)\n’’’", "wrong ticks"),
        ("```js\nconsole.log(1)\n```", "tagged `js`"),
        ("`print(1)`", "in a block"),
        ("```python\ndef f():\n    return 1\n", "not closed"),
        ("~~~py\nprint(1)\n~~~", "not tildes"),
        ("def f(x):\n    return x * 2\n", "without a code block"),
        ("def f(x):\nreturn x * 2", "without a code block"),  # indentation lost
        ("for i in range(3):\n    print(i)", "without a code block"),
    ],
)
def test_friendly_nudges(message: str, nudge: str) -> None:
    found = extract_code(message)
    assert found.code is None and found.nudge and nudge in found.nudge


def test_plain_chat_is_left_alone() -> None:
    assert extract_code("anyone else stuck on this one?") == extract_code("")
    assert extract_code("hello").nudge is None


@pytest.mark.parametrize("message", ["thanks!", "ok", "if I may: what is this", "define x"])
def test_chat_is_not_code(message: str) -> None:
    assert extract_code(message) == Extracted(None)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("```py\ndef f():\n    return 1\n```", "def f():\n    return 1\n"),
        ("  ```python\n  x = 1\n  ```\n", "x = 1\n"),
        ("x = '```'\n", "x = '```'\n"),  # fences inside code stay
        ("```js\nno()\n```", "```js\nno()\n```"),  # not Python: judged as typed
    ],
)
def test_a_form_takes_the_code_inside_a_pasted_block(typed: str, code: str) -> None:
    assert unfence(typed) == code
