"""`pydojo tutor …` and `pydojo curriculum generate`: the tutor from a shell.

They run on the configured database, as a learner of their own (``--user``, default 0), so
budgets, hearts, the cache, /ask memory and usage records apply exactly as in the bot. A file
given on the command line is submitted first, like a learner's attempt.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from curriculum import Difficulty

SHELL_USER = 0


def add_tutor_commands(
    commands: Any,
    *,
    read_source: Callable[[Path], str],
    format_verdict: Callable[[Any], str],
) -> None:
    """``read_source`` and ``format_verdict`` are the shell's own (``bot.cli``, which imports
    this module), so code is read and verdicts are printed as ``pydojo judge`` does."""
    tutor = commands.add_parser("tutor", help="the AI tutor (curated content without a key)")
    tutor.set_defaults(read_source=read_source, format_verdict=format_verdict)
    actions = tutor.add_subparsers(title="tutor commands")
    for name, text in (
        ("hint", "a hint built from your code and its verdict"),
        ("explain", "what is wrong with your code, and where"),
        ("review", "feedback on accepted code"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("problem", help="problem id")
        action.add_argument(
            "file",
            type=Path,
            nargs="?" if name == "hint" else None,
            help="your code (submitted first); hint: optional",
        )
        _common(action)
        action.set_defaults(handler=cmd_tutor, action=name)
    ask = actions.add_parser("ask", help="ask about a problem (the conversation is kept)")
    ask.add_argument("problem", help="problem id")
    ask.add_argument("question")
    ask.add_argument("--file", type=Path, help="your code, submitted first")
    _common(ask)
    ask.set_defaults(handler=cmd_tutor, action="ask")
    usage = actions.add_parser("usage", help="AI requests, tokens, and whether answers helped")
    usage.add_argument("--guild", type=int, help="one server only")
    usage.add_argument("--days", type=int, default=7)
    usage.set_defaults(handler=cmd_tutor_usage)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="template variant (0: as written)")
    parser.add_argument("--user", type=int, default=SHELL_USER, help="learner id to act as")


def add_generate_command(course_commands: Any) -> None:
    generate = course_commands.add_parser(
        "generate", help="write new problems with the model; keep those the sandbox proves"
    )
    generate.add_argument("--module", required=True)
    generate.add_argument("--count", type=int, default=1, help="accepted problems wanted")
    generate.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    generate.add_argument(
        "--attempts",
        type=int,
        help="tries per problem wanted (default: PYDOJO_TUTOR__FRESH_ATTEMPTS)",
    )
    generate.set_defaults(handler=cmd_curriculum_generate)


async def _with_services(work: Callable[[Any], Awaitable[int]]) -> int:
    from runner import Runner
    from runner.queue import QueueRunner

    from .app import build_services
    from .settings import get_settings

    settings = get_settings()
    queue = settings.queue_config()
    # One command from a shell: no pool to warm, nothing to wait for.
    runner: Any = (
        QueueRunner(queue)
        if queue is not None
        else Runner(dataclasses.replace(settings.runner_config(), pool_size=0))
    )
    services = await build_services(settings, runner=runner)
    try:
        return await work(services)
    finally:
        await services.close()


def cmd_tutor(args: argparse.Namespace) -> int:
    from .exts.tutor.words import plain
    from .services.catalog import ProblemRef
    from .services.errors import LearnerError
    from .services.practice import Where
    from .ui.errors import describe

    file = getattr(args, "file", None)
    source = args.read_source(file) if file else None

    async def work(services: Any) -> int:
        if services.curriculum.get(args.problem) is None:
            print(f"no problem with id {args.problem!r}", file=sys.stderr)
            return 2
        flow, tutor = services.practice, services.tutor
        ref, where = ProblemRef(args.problem, args.seed), Where("cli")
        try:
            await flow.ensure_current(args.user, ref, where)
            if source is not None:
                judged = await flow.submit(args.user, source, ref, where)
                print(args.format_verdict(judged.verdict) + "\n")
            if args.action == "ask":
                reply = await tutor.ask(args.user, args.question, ref, where)
            else:
                reply = await getattr(tutor, args.action)(args.user, ref, where)
        except LearnerError as exc:
            print(describe(exc), file=sys.stderr)
            return 2
        print(plain(reply))
        return 0

    return asyncio.run(_with_services(work))


def cmd_tutor_usage(args: argparse.Namespace) -> int:
    async def work(services: Any) -> int:
        print((await services.tutor.report(args.guild, args.days)).render())
        return 0

    return asyncio.run(_with_services(work))


def cmd_curriculum_generate(args: argparse.Namespace) -> int:
    from .settings import get_settings

    if get_settings().gemini_api_key is None:
        print(
            'generating problems needs the AI tutor: set GEMINI_API_KEY (README: "The AI tutor")',
            file=sys.stderr,
        )
        return 2
    difficulty = Difficulty(args.difficulty) if args.difficulty else None

    async def work(services: Any) -> int:
        if args.module not in services.curriculum.modules:
            print(f"no module called {args.module!r}", file=sys.stderr)
            return 2
        proposals = await services.fresh.generate(
            args.module, args.count, difficulty, attempts=args.attempts
        )
        accepted = 0
        for proposal in proposals:
            title = f'"{proposal.title}"' if proposal.title else "(no draft)"
            if proposal.accepted:
                accepted += 1
                print(
                    f"accepted  {proposal.problem.id}  {title}  (modelled on {proposal.source_id})"
                )
            else:
                print(
                    f"rejected  {title}  (modelled on {proposal.source_id}): "
                    + "; ".join(proposal.reasons)
                )
        print(f"{accepted} accepted, {len(proposals) - accepted} rejected (wanted {args.count})")
        return 0 if accepted >= args.count else 1

    return asyncio.run(_with_services(work))
