"""`pydojo practice`: the services started for a terminal learner, the loop, the clean-up."""

from __future__ import annotations

import asyncio
import logging

from rich.console import Console

from bot.settings import Settings
from curriculum import Difficulty

from .session import TerminalPractice, editor_command, learner_id


async def _read_line(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def _practise(
    settings: Settings,
    module: str | None,
    difficulty: Difficulty | None,
    problem: str | None,
    auto: bool,
) -> int:
    from bot.app import build_services

    console = Console()
    with console.status("Starting the sandbox…"):
        services = await build_services(settings)
    try:
        session = TerminalPractice(
            services,
            console,
            _read_line,
            learner=learner_id(settings.data_dir),
            module=module,
            difficulty=difficulty,
            problem=problem,
            auto=auto,
            editor=editor_command(),
        )
        return await session.run()
    finally:
        await services.close()


def practise_in_terminal(
    settings: Settings,
    *,
    module: str | None = None,
    difficulty: Difficulty | None = None,
    problem: str | None = None,
    auto: bool = False,
) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the bot's INFO lines would drown the problem
    try:
        return asyncio.run(_practise(settings, module, difficulty, problem, auto))
    except KeyboardInterrupt:
        print("\nYour progress is saved. See you soon!")
        return 0
