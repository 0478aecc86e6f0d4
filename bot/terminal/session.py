"""The practice loop in a terminal, on the bot's own services: the same problems, sandbox,
database, verdict texts, hints, XP, streaks and auto mode — answered from ``$EDITOR``, a paste
or a file instead of a code block.

Progress is kept under a local learner id (a negative number, so it can never be a Discord
user's), stored in the data directory: stats, streaks and auto mode carry over between runs.
"""

from __future__ import annotations

import asyncio
import os
import random
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from bot.exts.learn.render import module_embed
from bot.exts.practice.render import hint_embed, problem_embed, solution_message, verdict_embed
from bot.exts.stats.render import stats_embed
from bot.services.catalog import ProblemRef
from bot.services.errors import LearnerError, UnknownProblem
from bot.services.practice import Offered, Where
from bot.ui.errors import unknown_problem, words
from curriculum import Difficulty

from .render import show, show_words

if TYPE_CHECKING:
    from bot.app import Services

ReadLine = Callable[[str], Awaitable[str | None]]  # a prompt in, a line out (None: end of input)
WHERE = Where(context="cli")
LEARNER_FILE = "terminal-learner"
END_OF_PASTE = "."
HOW_TO_ANSWER = (
    "Answer with `edit` (opens `$EDITOR` on the starter code), `paste` (end with a line holding "
    "only `.`) or `submit PATH`."
)
HELP = """\
edit | e            write your answer in $EDITOR (starts from the starter code or your last try)
paste | p           paste your answer, then a line with only `.`
submit PATH | s     judge a file
hint | h            the next hint (earlier ones shown again)
reveal | r          the reference solution, after 2 failed attempts or 2 hints
next | n            another problem
show                this problem again
learn               the notes of this problem's module
stats               your progress
help | ?            this list
quit | q            stop (your progress is kept)"""


def terminal_words(error: LearnerError) -> str:
    """The bot's words, where they point at Discord's menus pointing at the shell instead."""
    if isinstance(error, UnknownProblem):
        return unknown_problem(error) + " `pydojo curriculum list` lists them all."
    return words(error)


def learner_id(data_dir: Path) -> int:
    """This machine's terminal learner, made once and kept in the data directory."""
    path = data_dir / LEARNER_FILE
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    value = -random.SystemRandom().randrange(1, 2**62)
    path.write_text(f"{value}\n")
    return value


def _read_bytes(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def editor_command() -> list[str] | None:
    for name in ("VISUAL", "EDITOR"):
        if os.environ.get(name):
            return shlex.split(os.environ[name])
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    return None


class TerminalPractice:
    def __init__(
        self,
        services: Services,
        console: Console,
        read_line: ReadLine,
        *,
        learner: int,
        module: str | None = None,
        difficulty: Difficulty | None = None,
        problem: str | None = None,
        auto: bool = False,
        editor: list[str] | None = None,
    ) -> None:
        self.services = services
        self.flow = services.practice
        self.console = console
        self.read_line = read_line
        self.learner = learner
        self.module, self.difficulty, self.problem, self.auto = module, difficulty, problem, auto
        self.editor = editor
        self.ref: ProblemRef | None = None
        self.draft: str | None = None  # the last code tried, to edit again

    # -- the loop --------------------------------------------------------------------------

    async def run(self) -> int:
        self.console.print("[bold]pydojo[/bold] — practise Python. Type `help` for commands.")
        if not await self._guard(self._first_problem()):
            return 1
        while True:
            line = await self.read_line("pydojo> ")
            if line is None:
                return 0
            command, _, rest = line.strip().partition(" ")
            command = command.lower()
            if not command:
                continue
            if command in ("quit", "q", "exit"):
                self.console.print("Your progress is saved. See you soon!")
                return 0
            action = self._actions().get(command)
            if action is None:
                self.console.print(f"Unknown command {command!r}.\n{HELP}", markup=False)
                continue
            await self._guard(action(rest.strip()))

    def _actions(self) -> dict[str, Callable[[str], Awaitable[None]]]:
        return {
            "edit": self.edit, "e": self.edit,
            "paste": self.paste, "p": self.paste,
            "submit": self.submit_file, "s": self.submit_file,
            "hint": self.hint, "h": self.hint,
            "reveal": self.reveal, "r": self.reveal,
            "next": self.next, "n": self.next,
            "show": self.show_problem, "learn": self.learn, "stats": self.stats,
            "help": self.help, "?": self.help,
        }  # fmt: skip

    async def _guard(self, action: Awaitable[None]) -> bool:
        """Learner errors are told in the bot's own words; the loop goes on."""
        try:
            await action
        except LearnerError as error:
            show_words(self.console, terminal_words(error))
            return False
        return True

    # -- problems --------------------------------------------------------------------------

    async def _first_problem(self) -> None:
        if self.auto:
            offered = await self.flow.start_auto(self.learner, WHERE)
        else:
            offered = await self.flow.offer(
                self.learner,
                WHERE,
                module=self.module,
                difficulty=self.difficulty,
                problem=self.problem,
            )
        self._put(offered)

    def _put(self, offered: Offered) -> None:
        self.ref, self.draft = offered.ref, None
        self.offered = offered
        show(self.console, problem_embed(offered, self.services.curriculum, HOW_TO_ANSWER))

    async def show_problem(self, _: str) -> None:
        self._put(self.offered)

    async def next(self, _: str) -> None:
        auto = True if self.auto else None
        self._put(await self.flow.next_problem(self.learner, WHERE, auto=auto))

    # -- answering -------------------------------------------------------------------------

    async def edit(self, _: str) -> None:
        if self.editor is None:
            self.console.print("No editor found ($EDITOR is not set): paste your answer instead.")
            await self.paste("")
            return
        start = self.draft if self.draft is not None else self.offered.variant.starter
        code = await asyncio.to_thread(self._in_editor, start)
        if code is None or not code.strip() or (code == start and self.draft is None):
            self.console.print("Nothing changed; nothing judged.")
            return
        await self._judge(code)

    def _in_editor(self, text: str) -> str | None:
        assert self.editor is not None
        with tempfile.TemporaryDirectory(prefix="pydojo-") as folder:
            path = Path(folder) / "solution.py"
            path.write_text(text, encoding="utf-8")
            done = subprocess.run([*self.editor, str(path)], check=False)
            if done.returncode != 0:
                return None
            return path.read_text(encoding="utf-8", errors="replace")

    async def paste(self, _: str) -> None:
        self.console.print("Paste your code, then a line with only `.`:")
        lines: list[str] = []
        while True:
            line = await self.read_line("")
            if line is None or line.rstrip("\r\n") == END_OF_PASTE:
                break
            lines.append(line.rstrip("\r\n"))
        await self._judge("\n".join(lines) + "\n")

    async def submit_file(self, path: str) -> None:
        if not path:
            self.console.print("Which file? `submit path/to/solution.py`")
            return
        try:
            data = await asyncio.to_thread(_read_bytes, path)
        except OSError as exc:
            show_words(self.console, f"Could not read `{path}`: {exc.strerror}.")
            return
        await self._judge(data)

    async def _judge(self, code: str | bytes) -> None:
        assert self.ref is not None
        with self.console.status("Judging…"):
            judged = await self.flow.submit(self.learner, code, self.ref, WHERE)
        self.draft = code if isinstance(code, str) else self.draft
        runner = self.services.runner
        seconds = judged.variant.spec.test_seconds or runner.limits.test_seconds
        show(
            self.console,
            verdict_embed(
                judged, test_seconds=seconds, spoil=False, python_version=runner.python_version
            ),
        )
        if judged.verdict.accepted:
            self.console.print("`next` for another problem, `stats` for your progress.")

    # -- help along the way ----------------------------------------------------------------

    async def hint(self, _: str) -> None:
        show(self.console, hint_embed(await self.flow.hint(self.learner, self.ref, WHERE)))

    async def reveal(self, _: str) -> None:
        _, variant, _ = await self.flow.reveal(self.learner, self.ref, WHERE)
        embed, _file = solution_message(variant)
        show(self.console, embed)
        if _file is not None:  # too long for a message: printed whole here
            self.console.print(variant.solution.strip(), markup=False, highlight=False)

    async def learn(self, _: str) -> None:
        curriculum = self.services.curriculum
        module = curriculum.modules[self.offered.problem.module]
        show(self.console, module_embed(module, curriculum))

    async def stats(self, _: str) -> None:
        stats = await self.services.stats.stats(self.learner)
        show(self.console, stats_embed(stats, "You", self.services.curriculum))

    async def help(self, _: str) -> None:
        self.console.print(HELP, markup=False, highlight=False)
