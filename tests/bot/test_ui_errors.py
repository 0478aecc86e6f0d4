"""The one error path: every learner-facing error has its own words, naming no service detail;
modules and problems are found by what learners type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bot.services
from bot.services import errors as e
from bot.services.catalog import find_module, find_problem
from bot.ui import errors as ui_errors
from bot.ui.errors import describe, words
from curriculum import Curriculum, Difficulty, default_curriculum

SERVICES = Path(bot.services.__file__).parent


def every_learner_error(base: type = e.LearnerError) -> list[type]:
    found = []
    for cls in base.__subclasses__():
        found += [cls, *every_learner_error(cls)]
    return found


def test_every_learner_error_has_its_own_words() -> None:
    assert ui_errors.WrongAttachment in every_learner_error()  # edge errors are learner errors
    generic = words.dispatch(e.LearnerError)
    missing = [
        cls.__name__
        for cls in every_learner_error()
        if words.dispatch(cls) is generic and cls is not e.BadSource
    ]
    assert missing == []


@pytest.mark.parametrize(
    "error",
    [
        e.NoCurrentProblem(),
        e.ProblemGone("x"),
        e.UnknownProblem("x", ["A"]),
        e.UnknownModule("x", ["A", "B"]),
        e.NothingMatches("Lists", Difficulty.ADVANCED),
        e.RevealLocked(1, 1, 2, 2),
        e.SkipNotAllowed(Difficulty.BEGINNER),
        e.NoActiveRun(),
        e.Busy(2),
        e.SourceTooLarge(70_000, 65_536),
        e.BinarySource(),
        e.NotText(3, 7, True),
        e.EmptySource(),
        ui_errors.WrongAttachment("a.txt", image=False),
        ui_errors.ForeignThread(5),
        ui_errors.DailyUnavailable(),
    ],
)
def test_words_are_short_and_friendly(error: e.LearnerError) -> None:
    text = describe(error)
    assert text and len(text) < 400 and "Traceback" not in text


def test_services_name_no_commands() -> None:
    """Services raise data; only the edge knows there are slash commands and buttons."""
    commands = re.compile(
        r"/(practice|auto|hint|reveal|skip|submit|run|daily|stats|history|"
        r"leaderboard|help|review|remind|timezone|settings)\b"
    )
    for path in SERVICES.glob("*.py"):
        assert not commands.search(path.read_text()), path
    assert not [p for p in SERVICES.glob("*.py") if "import discord" in p.read_text()]


def test_counts_are_pluralised() -> None:
    assert "1 failed attempt," in words(e.RevealLocked(1, 0, 2, 2))
    assert "1 hint)" in words(e.RevealLocked(0, 1, 2, 2))


def test_a_bug_has_no_words() -> None:
    assert describe(RuntimeError("boom")) is None


@pytest.fixture(scope="module")
def course() -> Curriculum:
    return default_curriculum()


def test_modules_are_found_as_the_menu_shows_them(course: Curriculum) -> None:
    for module in course.modules.values():
        assert find_module(course, module.title) is module
        assert find_module(course, module.title.upper()) is module
        assert find_module(course, module.id) is module
    with pytest.raises(e.UnknownModule) as refused:
        find_module(course, "Stringz")
    assert refused.value.modules == [m.title for m in course.modules.values()]


def test_problems_are_found_by_id_or_title(course: Curriculum) -> None:
    coins = course.problems["greedy-fewest-coins"]
    assert find_problem(course, "greedy-fewest-coins") is coins
    assert find_problem(course, "change with the fewest coins (us cents)") is coins
    with pytest.raises(e.UnknownProblem) as refused:
        find_problem(course, "Change with the fewest coin (US cents)")
    assert "Change with the fewest coins (US cents)" in refused.value.suggestions
