"""A whole session in the terminal, through the loop's own input and output streams, on the
real sandbox and a real SQLite file: a wrong answer, a hint, an answer from an editor, one
from a file, stats — and progress still there after a restart."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from rich.console import Console

from bot.app import build_services
from bot.terminal import TerminalPractice, learner_id
from curriculum import Curriculum

from ..discord_harness import settings_for
from .conftest import BY_ID, solution, wrong

pytestmark = pytest.mark.docker


def scripted(lines: Iterable[str]):  # type: ignore[no-untyped-def]
    """The learner's keyboard: each line in turn, then the end of input."""
    pending = list(lines)

    async def read_line(prompt: str) -> str | None:
        return pending.pop(0) if pending else None

    return read_line


async def session(tmp_path: Path, course: Curriculum, lines: list[str], **options: object) -> str:
    services = await build_services(settings_for(tmp_path), curriculum=course)
    screen = io.StringIO()
    console = Console(file=screen, width=110, force_terminal=False, color_system=None)
    try:
        practice = TerminalPractice(
            services, console, scripted(lines), learner=learner_id(tmp_path), **options
        )
        assert await practice.run() == 0
    finally:
        await services.close()
    return screen.getvalue()


def editor_writing(tmp_path: Path, code: str) -> list[str]:
    """A real editor process that replaces the file it is given with ``code``."""
    script = tmp_path / "editor.py"
    script.write_text(f"import sys\nopen(sys.argv[1], 'w').write({code!r})\n")
    return [sys.executable, str(script)]


async def test_journey_terminal_from_wrong_answer_to_stats(
    tmp_path: Path, journey_course: Curriculum
) -> None:
    answer_file = tmp_path / "mine.py"
    answer_file.write_text(solution("w-add"))
    out = await session(
        tmp_path,
        journey_course,
        [
            "paste",
            *wrong("w-add").splitlines(),
            ".",
            "hint",
            "edit",
            "next",
            f"submit {answer_file}",
            "submit /no/such/file.py",
            "dance",
            "stats",
            "quit",
        ],
        problem="w-add",
        editor=editor_writing(tmp_path, solution("w-add")),
    )
    assert "Starter code" in out and "add(2, 3)" in out  # the problem, as Discord shows it
    assert "Wrong answer on example 1" in out and "Expected" in out
    assert "```" not in out  # Discord's code blocks drawn as code, not as backticks
    assert "Hint 1/3" in out
    assert "All 7 tests passed" in out and "+50 XP" in out  # the editor's answer
    # After Next, the file answers the old problem: judged against the one on screen.
    shown = re.findall(r"· (?:beginner|intermediate|advanced) · (w-[a-z-]+)", out)
    assert shown[0] == "w-add" and shown[-1] != "w-add", shown
    assert out.count(f"no function named {BY_ID[shown[-1]].entry}") == 1  # said once
    assert "Could not read /no/such/file.py" in out
    assert "Unknown command 'dance'" in out
    assert "Solved 1 · attempts 3" in out and "Warm-up" in out  # the stats card
    assert "Python 3.13" in out

    again = await session(tmp_path, journey_course, ["stats"], module="warmup")
    assert "Solved 1 · attempts 3" in again  # the same local learner, kept on disk


async def test_journey_terminal_auto_mode(tmp_path: Path, journey_course: Curriculum) -> None:
    out = await session(tmp_path, journey_course, ["show", "learn", "quit"], auto=True)
    assert "Starter code" in out and "Python notes" in out
