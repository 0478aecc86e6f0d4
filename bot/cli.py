"""The ``pydojo`` command: every capability of the product, reachable from a shell."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from curriculum import (
    CurriculumError,
    Difficulty,
    default_curriculum,
    load_curriculum,
    load_problem,
    materialise,
)
from curriculum.loader import PROBLEMS_DIR
from runner import (
    OutputsUnavailable,
    Runner,
    RunResult,
    RunStatus,
    SandboxUnavailable,
    Status,
    Verdict,
)
from runner.image import PYTHONS, image_tag
from runner.spec import Step, TestCase

from .logs import quiet_chatty_libraries
from .settings import get_settings
from .tutor_cli import add_generate_command, add_tutor_commands


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    quiet_chatty_libraries()
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pydojo", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    practice = commands.add_parser(
        "practice", help="practise in this terminal: the bot's practice loop, without Discord"
    )
    practice.add_argument("--module", help="a module id or title, e.g. strings")
    practice.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    practice.add_argument("--problem", help="a problem id or title")
    practice.add_argument("--auto", action="store_true", help="let auto mode choose")
    practice.set_defaults(handler=cmd_practice)

    bot = commands.add_parser("bot", help="run the Discord bot")
    bot.add_argument(
        "--sync-guild",
        type=int,
        metavar="ID",
        help="sync commands to this server only (instant, for development)",
    )
    bot.add_argument("--no-sync", action="store_true", help="do not sync application commands")
    bot.set_defaults(handler=cmd_bot)

    sandbox = commands.add_parser("sandbox", help="the Docker sandbox image")
    sandbox_commands = sandbox.add_subparsers(title="sandbox commands")
    build = sandbox_commands.add_parser("build", help="build the sandbox image (idempotent)")
    build.add_argument(
        "--offline",
        action="store_true",
        help="skip the Dockerfile; debootstrap a root filesystem and import it",
    )
    build.add_argument("--force", action="store_true", help="rebuild even if the image exists")
    build.add_argument("--tag", help="image tag (default: the one for --python)")
    build.add_argument(
        "--python",
        choices=[*PYTHONS, "all"],
        help="which Python's image (default: the configured one; all: every one)",
    )
    build.set_defaults(handler=cmd_sandbox_build)
    status = sandbox_commands.add_parser(
        "status", help="the engine, the image, the runtime and the limits in use"
    )
    status.set_defaults(handler=cmd_sandbox_status)

    run = commands.add_parser("run", help="execute a program in the sandbox, like an eval")
    run.add_argument("file", type=Path)
    run.add_argument("--stdin", type=Path, help="file fed to the program's standard input")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.add_argument("--python", choices=list(PYTHONS), help="another Python than the default")
    run.set_defaults(handler=cmd_run)

    judge = commands.add_parser("judge", help="judge a solution against a problem file")
    judge.add_argument("file", type=Path)
    judge.add_argument("--problem", type=Path, required=True, help="a problem .toml file")
    judge.add_argument("--seed", type=int, default=0, help="template variant (0: as written)")
    judge.add_argument("--json", action="store_true", help="print the verdict as JSON")
    judge.set_defaults(handler=cmd_judge)

    runner = commands.add_parser("runner", help="the sandbox as a service, for many machines")
    runner_commands = runner.add_subparsers(title="runner commands")
    serve = runner_commands.add_parser(
        "serve", help="execute queued jobs (needs PYDOJO_QUEUE_URL and a Docker engine)"
    )
    serve.add_argument("--concurrency", type=int, help="jobs at once (default: one per core)")
    serve.add_argument("--metrics-port", type=int, help="serve Prometheus /metrics on this port")
    serve.set_defaults(handler=cmd_runner_serve)

    doctor = commands.add_parser("doctor", help="check the setup; every line ✓ or ✗ with the fix")
    doctor.add_argument(
        "--offline", action="store_true", help="skip the checks that call Discord and Google"
    )
    doctor.set_defaults(handler=cmd_doctor)

    db = commands.add_parser("db", help="the database")
    db_commands = db.add_subparsers(title="db commands")
    backup = db_commands.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", type=Path)
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    backup.set_defaults(handler=cmd_db_backup)

    course = commands.add_parser("curriculum", help="the problems: check, list, show")
    course_commands = course.add_subparsers(title="curriculum commands")
    check = course_commands.add_parser("check", help="prove every problem in the sandbox")
    check.add_argument("--module", help="only this module")
    check.add_argument("--problem", action="append", help="only this problem id (repeatable)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--concurrency", type=int, default=2, help="submissions at once")
    check.add_argument(
        "--python", choices=list(PYTHONS), help="prove it on this Python (default: the judge's)"
    )
    check.set_defaults(handler=cmd_curriculum_check)
    listing = course_commands.add_parser("list", help="list problems")
    listing.add_argument("--module")
    listing.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    listing.set_defaults(handler=cmd_curriculum_list)
    show = course_commands.add_parser("show", help="show one problem as a learner sees it")
    show.add_argument("id")
    show.add_argument("--seed", type=int, default=0, help="template variant (0: as written)")
    show.add_argument("--solution", action="store_true", help="include the reference solution")
    show.set_defaults(handler=cmd_curriculum_show)
    add_generate_command(course_commands)
    add_tutor_commands(commands, read_source=read_source, format_verdict=format_verdict)
    return parser


def read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SystemExit(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise SystemExit(f"{path}: {exc.strerror}") from None


def cmd_practice(args: argparse.Namespace) -> int:
    from .terminal.main import practise_in_terminal

    difficulty = Difficulty(args.difficulty) if args.difficulty else None
    return practise_in_terminal(
        get_settings(),
        module=args.module,
        difficulty=difficulty,
        problem=args.problem,
        auto=args.auto,
    )


def cmd_bot(args: argparse.Namespace) -> int:
    from .app import run_bot

    return run_bot(get_settings(), sync_guild=args.sync_guild, sync=not args.no_sync)


def cmd_runner_serve(args: argparse.Namespace) -> int:
    from .worker import serve_runner

    return serve_runner(
        get_settings(), concurrency=args.concurrency, metrics_port=args.metrics_port
    )


def cmd_doctor(args: argparse.Namespace) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the report is the output, not library logs
    from .doctor import run_doctor

    return run_doctor(get_settings(), offline=args.offline)


def cmd_db_backup(args: argparse.Namespace) -> int:
    from .backup import backup_command

    return backup_command(get_settings(), args.path, force=args.force)


def cmd_sandbox_build(args: argparse.Namespace) -> int:
    from runner.image import ImageBuildError, build_image

    settings = get_settings()
    pythons = list(PYTHONS) if args.python == "all" else [args.python or settings.sandbox_python]
    for python in pythons:
        tag = args.tag or (
            settings.sandbox_image if python == settings.sandbox_python else image_tag(python)
        )
        try:
            build_image(tag, python=python, offline=args.offline, force=args.force)
        except ImageBuildError as exc:
            print(f"sandbox build failed: {exc}", file=sys.stderr)
            return 1
    return 0


def cmd_sandbox_status(args: argparse.Namespace) -> int:
    from runner.engine import Engine
    from runner.image import image_tag
    from runner.image import present as present_images

    settings = get_settings()
    limits = settings.sandbox
    engine = Engine(settings.sandbox_image, limits, settings.docker_url)
    print(f"image    {settings.sandbox_image}")
    print(f"runtime  {limits.runtime}" + (" (gVisor)" if limits.runtime == "runsc" else ""))
    print(
        f"limits   {limits.memory_mib} MiB, {limits.pids} pids, {limits.cpus:g} CPU, "
        f"{limits.test_seconds:g} s per test, {limits.wall_seconds:g} s per submission, "
        f"{limits.output_bytes // 1024} KiB output, idle containers end after "
        f"{limits.idle_seconds:g} s"
    )
    print(
        f"pool     {settings.sandbox_pool_size} pre-started, {settings.sandbox_concurrency} at once"
    )
    try:
        python = engine.check()
    except SandboxUnavailable as exc:
        print(f"status   unavailable: {exc}")
        return 3
    finally:
        engine.close()
    print(f"status   ready: Python {python} on {limits.runtime}")
    for series, version in present_images().items():
        print(
            f"python   {series}: "
            + (
                f"{version} ({image_tag(series)})"
                if version
                else f"missing — `pydojo sandbox build --python {series}`"
            )
        )
    return 0


async def _with_runner(work, **overrides):  # type: ignore[no-untyped-def]
    settings = get_settings()
    queue = settings.queue_config()
    if queue is not None:  # the same switch as the bot's: judge on the queue's workers
        from runner.queue import QueueRunner

        async with QueueRunner(queue) as remote:
            return await work(remote)
    config = settings.runner_config()
    # One submission from a shell: no pool to warm, nothing to wait for.
    config = dataclasses.replace(config, **{"pool_size": 0, **overrides})
    async with Runner(config) as runner:
        return await work(runner)


def load_course(module: str | None = None):  # type: ignore[no-untyped-def]
    """The whole course, or one module's folder alone (so a broken file elsewhere is no bar)."""
    try:
        return load_curriculum(only={module}) if module else default_curriculum()
    except CurriculumError as exc:
        print(f"the curriculum has broken files:\n{exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    source = read_source(args.file)
    stdin = read_source(args.stdin) if args.stdin else ""
    python = args.python
    result: RunResult = asyncio.run(_with_runner(lambda r: r.run(source, stdin, python=python)))
    if args.json:
        print(result.model_dump_json())
    else:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        tail = f"[{result.status.value}] exit {result.exit_code}, {result.duration_ms} ms"
        if result.python_version:
            tail += f", Python {result.python_version} on {result.runtime}"
        print(f"{tail}{' — ' + result.message if result.message else ''}", file=sys.stderr)
    if result.status is RunStatus.SANDBOX_ERROR:
        return 3
    return 0 if result.status is RunStatus.OK else 1


def cmd_judge(args: argparse.Namespace) -> int:
    source = read_source(args.file)
    try:
        problem = load_problem(args.problem)
    except CurriculumError as exc:
        print(exc, file=sys.stderr)
        return 2

    async def work(runner: Runner) -> Verdict:
        variant = await materialise(problem, args.seed, runner)
        return await runner.judge(source, variant.spec)

    try:
        verdict: Verdict = asyncio.run(_with_runner(work))
    except (OutputsUnavailable, SandboxUnavailable) as exc:
        print(f"could not prepare the problem's tests: {exc}", file=sys.stderr)
        return 3
    if args.json:
        print(verdict.model_dump_json())
    else:
        print(format_verdict(verdict))
    if verdict.status is Status.SANDBOX_ERROR:
        return 3
    return 0 if verdict.accepted else 1


def format_verdict(verdict: Verdict) -> str:
    lines = [verdict.summary]
    failed = verdict.failed
    if failed is not None and not failed.hidden and failed.input is not None:
        lines += [f"  input:    {failed.input}", f"  expected: {failed.expected}"]
        if failed.got is not None:
            lines.append(f"  got:      {failed.got}")
    if verdict.error is not None and verdict.status is not Status.WRONG_ANSWER:
        lines += ["", verdict.error.traceback]
    if verdict.python_version:
        lines.append(f"(Python {verdict.python_version})")
    return "\n".join(lines)


def cmd_curriculum_check(args: argparse.Namespace) -> int:
    from curriculum.check import check_curriculum

    course = load_course(args.module)
    chosen = None
    if args.module or args.problem:
        chosen = [
            p
            for p in course.problems.values()
            if (not args.module or p.module == args.module)
            and (not args.problem or p.id in args.problem)
        ]
        if not chosen:
            print("no problem matches", file=sys.stderr)
            return 2
    work = lambda runner: check_curriculum(  # noqa: E731
        course, runner, chosen, whole_modules=not args.problem
    )
    concurrency = args.concurrency
    options: dict[str, object] = {"pool_size": concurrency, "max_concurrency": concurrency}
    if args.python:
        options.update(python=args.python, image=image_tag(args.python))
    report = asyncio.run(_with_runner(work, **options))
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.render())
    return 0 if report.ok else 1


def cmd_curriculum_list(args: argparse.Namespace) -> int:
    course = load_course(args.module)
    level = Difficulty(args.difficulty) if args.difficulty else None
    for problem in course.select(args.module, None, level):
        template = " (template)" if problem.is_template else ""
        print(
            f"{problem.id:<36} {problem.difficulty.value:<12} {course.path_of(problem)}{template}"
        )
    return 0


def _outcome(check: Step | TestCase) -> str:
    """What a checked step or test must come to."""
    from runner.judging import raises_text
    from runner.values import decode

    if check.raises is not None:
        return raises_text(check.raises, check.match, check.message, check.exact_type)
    if check.expected is not None:
        return check.expected
    return repr(decode(check.expected_json or "null"))


def _shown_example(test) -> str:  # type: ignore[no-untyped-def]
    """A visible test as text: the call, calls or input, or its steps one per line."""
    if test.steps:
        lines = [""]
        for step in test.steps:
            lines.append(f"  >>> {step.expr.replace(chr(10), chr(10) + '  ... ')}")
            if step.checked:
                lines.append("  " + _outcome(step))
        text = "\n".join(lines)
    else:
        shown = test.args or test.calls or test.stdin
        text = f"{shown} -> " + _outcome(test)
    return text + (f"\n  prints: {test.prints!r}" if test.prints is not None else "")


def cmd_curriculum_show(args: argparse.Namespace) -> int:
    from curriculum.variants import draft

    # Load only the folder holding the problem, so a broken file elsewhere is no bar.
    found = sorted(PROBLEMS_DIR.glob(f"*/{args.id}.toml"))
    course = load_course(found[0].parent.name) if found else None
    problem = course.get(args.id) if course else None
    if course is None or problem is None:
        print(f"no problem with id {args.id!r}", file=sys.stderr)
        return 2
    variant, missing = draft(problem, args.seed)
    if missing:  # expected values come from the reference solution, run in the sandbox
        variant = asyncio.run(_with_runner(lambda r: materialise(problem, args.seed, r)))
    print(f"{variant.title}  [{problem.difficulty.value}]  {course.path_of(problem)}")
    if variant.params:
        print(f"parameters: {variant.params}")
    print(f"\n{variant.statement}\n\nStarter:\n{variant.starter}")
    for number, test in enumerate(variant.spec.tests, 1):
        if not test.hidden:
            print(f"Example {number}: {_shown_example(test)}")
    print(f"({sum(t.hidden for t in variant.spec.tests)} hidden tests)")
    for number, hint in enumerate(variant.hints, 1):
        print(f"Hint {number}: {hint}")
    if args.solution:
        print(f"\nSolution:\n{variant.solution}\n{variant.explanation}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
