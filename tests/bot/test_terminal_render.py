"""Discord's Markdown drawn in a terminal: code blocks opened mid-line, single line breaks,
brackets that rich would read as its own markup."""

from __future__ import annotations

import io

from rich.console import Console

from bot.services.catalog import find_problem
from bot.services.errors import UnknownProblem
from bot.terminal.render import commonmark, show_words
from bot.terminal.session import terminal_words
from curriculum import Curriculum


def drawn(text: str) -> str:
    screen = io.StringIO()
    show_words(Console(file=screen, width=80, color_system=None), text)
    return screen.getvalue()


def test_a_fence_opened_mid_line_gets_lines_of_its_own() -> None:
    text = "**Input**```py\nf([5, 5])\n```**Expected**```\nNone\n```line one\nline two"
    out = drawn(text)
    assert "```" not in out and "py" not in out.split("f([5, 5])")[0]
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert lines == ["Input", "f([5, 5])", "Expected", "None", "line one", "line two"]


def test_a_many_line_block_stays_a_block() -> None:
    converted = commonmark("Solution:```py\ndef f():\n    return 1\n```")
    assert "\n```py\ndef f():\n    return 1\n```\n" in converted
    assert "    return 1" in drawn("Solution:```py\ndef f():\n    return 1\n```")


def test_an_unclosed_fence_is_still_code_and_spoilers_are_plain() -> None:
    out = drawn("||the idea|| and ```py\nx = [1]\n")
    assert "||" not in out and "```" not in out and "x = [1]" in out


def test_brackets_are_text_not_markup() -> None:
    assert "[red]x" in drawn("Could not read `/tmp/[red]x`.")


def test_a_mistyped_id_suggests_the_id_nearest_it(course: Curriculum) -> None:
    problem = next(iter(course.problems.values()))
    try:
        find_problem(course, problem.id + "x")
    except UnknownProblem as error:
        assert error.suggestions[0] == problem.id
        words = terminal_words(error)
        assert "pydojo curriculum list" in words and "menu" not in words
    else:
        raise AssertionError("a truncated id is not a problem")
