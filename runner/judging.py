"""Turn what a container reported into a verdict. Runs on the host; expected values live here."""

from __future__ import annotations

from typing import Any

from .compare import normalise_stdout, values_equal
from .diagnostics import runtime_error
from .engine import RawRun
from .limits import SandboxLimits
from .spec import JudgeSpec, Kind, TestCase, parse_literal
from .verdict import ErrorDetail, Status, TestOutcome, Verdict

SHOWN_VALUE = 1000  # characters of input/expected/got kept for display
SHOWN_STDOUT = 1000


def trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_input(spec: JudgeSpec, test: TestCase) -> str:
    if spec.kind is Kind.FUNCTION:
        return f"{spec.entry_point}({test.args.strip()})"
    if spec.kind is Kind.CLASS:
        return test.calls.strip()
    return test.stdin


def judge_result(spec: JudgeSpec, test: TestCase, event: dict[str, Any]) -> tuple[bool, str]:
    """Compare one reported value with the expected one: (passed, what to show as got)."""
    value = event.get("value")
    if not isinstance(value, str):
        return False, "<no value reported>"
    if spec.kind is Kind.STDIO:
        return normalise_stdout(value) == normalise_stdout(test.expected), value
    if event.get("cut"):
        return False, value[:SHOWN_VALUE] + " … (value too large)"
    try:
        got = parse_literal(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, value  # not a literal (an object, a generator...): cannot be equal
    return values_equal(parse_literal(test.expected), got, spec.compare), value


STATUS_OF_EVENT = {
    "timeout": Status.TIME_LIMIT,
    "memory": Status.MEMORY_LIMIT,
    "output": Status.OUTPUT_LIMIT,
    "error": Status.RUNTIME_ERROR,
}


def outcome_for(
    spec: JudgeSpec, number: int, test: TestCase, event: dict[str, Any]
) -> tuple[TestOutcome, dict[str, Any] | None]:
    """One test's outcome, and the raw error report when it raised."""
    kind = event.get("t")
    ms = event.get("ms")
    stdout = event.get("stdout") if isinstance(event.get("stdout"), str) else ""
    outcome = TestOutcome(
        number=number,
        hidden=test.hidden,
        status=Status.ACCEPTED,
        duration_ms=float(ms) if isinstance(ms, int | float) else None,
        stdout="" if test.hidden else trim(stdout, SHOWN_STDOUT),
    )
    got = None
    if kind == "result":
        passed, got = judge_result(spec, test, event)
        if not passed:
            outcome.status = Status.WRONG_ANSWER
    else:
        outcome.status = STATUS_OF_EVENT.get(str(kind), Status.RUNTIME_ERROR)
    if not test.hidden:
        outcome.input = trim(describe_input(spec, test), SHOWN_VALUE)
        outcome.expected = trim(test.expected, SHOWN_VALUE)
        outcome.got = trim(got, SHOWN_VALUE) if got is not None else None
    return outcome, (event if kind == "error" else None)


def build_verdict(
    spec: JudgeSpec, source: str, run: RawRun, limits: SandboxLimits, python_version: str | None
) -> Verdict:
    events = run.reader.events if run.reader else []
    by_index = {
        e["i"]: e
        for e in events
        if e.get("t") in ("result", "error", "timeout", "memory", "output")
        and isinstance(e.get("i"), int)
    }
    fatal = next((e for e in events if e.get("t") == "fatal"), None)
    tests: list[TestOutcome] = []
    failed: TestOutcome | None = None
    error: ErrorDetail | None = None
    for index, test in enumerate(spec.tests):
        event = by_index.get(index)
        if event is None:
            break
        outcome, report = outcome_for(spec, index + 1, test, event)
        tests.append(outcome)
        if failed is None and outcome.status is not Status.ACCEPTED:
            failed = outcome
            if report is not None:
                error = runtime_error(report, source)
                if spec.kind is Kind.CLASS and isinstance(report.get("step"), int):
                    error.message = f"{error.message} (call {report['step'] + 1} of the test)"

    passed = sum(t.status is Status.ACCEPTED for t in tests)
    total = len(spec.tests)
    status = failed.status if failed else None
    if status is None and fatal is not None:
        status, error = _fatal_status(fatal, source)
    if status is None:
        status = _abnormal_end(run, len(tests), total)
        if status is None:
            status = Status.ACCEPTED
    if status is Status.TIME_LIMIT and failed is None and run.timeout_test is not None:
        number = run.timeout_test + 1
        if 1 <= number <= total:
            failed = TestOutcome(
                number=number, hidden=spec.tests[number - 1].hidden, status=Status.TIME_LIMIT
            )
    if status is Status.RUNTIME_ERROR and error is None:
        error = _crash_detail(run)
    verdict = Verdict(
        status=status,
        summary="",
        passed=passed,
        total=total,
        tests=tests,
        failed=failed,
        error=error,
        duration_ms=round(run.duration * 1000),
        python_version=python_version,
    )
    verdict.summary = summarise(verdict, limits)
    return verdict


def _fatal_status(event: dict[str, Any], source: str) -> tuple[Status, ErrorDetail | None]:
    reason = event.get("reason")
    if reason == "timeout":
        return Status.TIME_LIMIT, None
    if reason == "memory":
        return Status.MEMORY_LIMIT, None
    if reason == "output":
        return Status.OUTPUT_LIMIT, None
    if event.get("stage") == "entry":
        message = str(event.get("message", "entry point missing"))[:300]
        return Status.RUNTIME_ERROR, ErrorDetail(
            type="NameError",
            message=f"{message}: keep the name from the starter code",
            traceback=f"NameError: {message}",
        )
    return Status.RUNTIME_ERROR, runtime_error(event, source)


def _abnormal_end(run: RawRun, reported: int, total: int) -> Status | None:
    """Status when the harness did not finish normally, or None if it did."""
    if run.flooded:
        return Status.OUTPUT_LIMIT
    if run.timed_out:
        return Status.TIME_LIMIT
    if run.oom or run.exit_code == 137:
        return Status.MEMORY_LIMIT if run.oom else Status.RUNTIME_ERROR
    if not run.finished or reported < total:
        return Status.RUNTIME_ERROR
    return None


def _crash_detail(run: RawRun) -> ErrorDetail:
    code = run.exit_code
    if code == 139 or code == -11:
        text = "the program crashed (segmentation fault) — usually recursion far too deep"
    elif code is not None and code != 0:
        text = f"the program stopped unexpectedly (exit status {code})"
    else:
        text = "the program ended before all tests ran (did it call os._exit or close stdout?)"
    return ErrorDetail(type="Crash", message=text, traceback=text)


def summarise(verdict: Verdict, limits: SandboxLimits) -> str:
    failed = verdict.failed
    where = ""
    if failed is not None:
        where = f" on {'hidden ' if failed.hidden else ''}test {failed.number}"
    tally = f" ({verdict.passed}/{verdict.total} passed)"
    match verdict.status:
        case Status.ACCEPTED:
            return f"Accepted: all {verdict.total} tests passed in {verdict.duration_ms} ms."
        case Status.WRONG_ANSWER:
            return f"Wrong answer{where}{tally}."
        case Status.RUNTIME_ERROR:
            error = verdict.error
            what = f"{error.type}: {error.message}" if error else "Runtime error"
            line = f" (line {error.line})" if error and error.line else ""
            return trim(f"{what}{line}{where}{tally}.", 500)
        case Status.TIME_LIMIT:
            return (
                f"Time limit{where}: took longer than {limits.test_seconds:g} s — "
                f"an infinite loop or a slow algorithm?{tally}"
            )
        case Status.MEMORY_LIMIT:
            return f"Memory limit{where}: used more than {limits.memory_mib} MiB{tally}."
        case Status.OUTPUT_LIMIT:
            size = f"{limits.output_bytes // 1024} KiB"
            return f"Output limit{where}: printed more than {size}{tally}."
        case Status.SYNTAX_ERROR:
            error = verdict.error
            line = f" on line {error.line}" if error and error.line else ""
            return f"Syntax error{line}: {error.message if error else 'invalid syntax'}."
        case _:
            return "The judge is having trouble right now; this attempt was not counted."
