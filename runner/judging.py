"""Turn what a container reported into a verdict. Runs on the host; expected values live here.

Every report is the learner's claim: sizes were bounded before parsing, and anything that
cannot be read becomes a verdict that says so, never an exception.
"""

from __future__ import annotations

import builtins
import json
import signal
from dataclasses import dataclass
from typing import Any

from .compare import article, mismatch, normalise_stdout
from .diagnostics import runtime_error
from .engine import RawRun
from .limits import SandboxLimits
from .plan import Check, Plan, PlannedTest
from .protocol import JudgeJob, Loaded, Result, Stopped
from .spec import CompareOptions, JudgeSpec, Kind, Step, TestCase
from .values import Unreadable, decode, show, type_name
from .verdict import ErrorDetail, Status, TestOutcome, Verdict

SHOWN_VALUE = 1000  # characters of input/expected/got kept for display
SHOWN_STDOUT = 1000
UNREADABLE = "your code returned something that could not be read back"
# What a hidden test's exception may be called: a name the program cannot make up.
STANDARD_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
HIDDEN_TRACEBACK = "(a hidden test: its input, message, line and traceback stay hidden)"


def trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_input(spec: JudgeSpec, test: TestCase, plan: PlannedTest) -> str:
    if spec.kind is Kind.STDIO:
        return test.stdin
    if spec.kind is Kind.CLASS and not test.steps:
        return test.calls.strip()
    return "\n".join(plan.labels)


def describe_expected(spec: JudgeSpec, test: TestCase) -> str:
    """A test's expectation as the learner reads it (examples, visible failures)."""
    if test.steps:
        return "\n".join(_step_expectation(s) for s in test.steps if s.checked)
    if test.raises is not None:
        return raises_text(test.raises, test.match, test.message, test.exact_type)
    if test.expected is not None:
        return test.expected.strip() if spec.kind is not Kind.STDIO else test.expected
    if test.expected_json is not None:
        try:
            return show(decode(test.expected_json))
        except Unreadable:
            return "?"
    return ""


def raises_text(raises: str, match: str | None, message: str | None, exact: bool) -> str:
    text = f"raises {raises}"
    if message is not None:
        text += f"({message!r})"
    elif match:
        text += f" ({match!r})"
    return text + (", not a subclass" if exact else "")


def _step_expectation(step: Step) -> str:
    if step.raises is not None:
        return f"{step.expr} → " + raises_text(
            step.raises, step.match, step.message, step.exact_type
        )
    if step.equals is not None:
        return f"{step.expr} == {step.equals}"
    return f"{step.expr} → {step.expected}"


@dataclass
class TestResult:
    status: Status
    got: str | None = None
    expected: str | None = None
    message: str | None = None
    report: dict[str, Any] | None = None  # the exception, when the test raised
    step: int | None = None  # which step failed (steps and class tests)
    safe: bool = False  # the message says nothing about the expected answer (hidden tests too)
    plain: str | None = None  # for a hidden test: the message without anything the program chose


def _parse_steps(text: str, expected: int) -> list[dict[str, Any]]:
    try:
        steps = json.loads(text)
    except (ValueError, RecursionError, MemoryError):
        raise Unreadable("unreadable step results") from None
    if not isinstance(steps, list) or len(steps) != expected:
        raise Unreadable("a result for a different number of steps")
    if not all(isinstance(step, dict) for step in steps):
        raise Unreadable("step results that are not objects")
    return steps


def expand_batch(outcome: dict[str, Any], count: int, cap: int) -> list[dict[str, Any]]:
    """A classic class test's one answer as per-call outcomes (up to the call that failed)."""
    at = outcome.get("at")
    if outcome.get("memory"):
        if type(at) is not int or not 0 <= at < count:
            raise Unreadable("bad position")
        return [{"decoded": None}] * at + [{"memory": True}]
    text = outcome.get("values")
    if not isinstance(text, str) or len(text) > cap:
        raise Unreadable("no values")
    values = decode(text)
    if not isinstance(values, list) or len(values) > count:
        raise Unreadable("values for other calls")
    calls = [{"decoded": value} for value in values]
    if "error" in outcome:
        if at != len(values) or at >= count or not isinstance(outcome["error"], dict):
            raise Unreadable("bad error position")
        return [*calls, {"error": outcome["error"]}]
    if len(values) != count:
        raise Unreadable("values for other calls")
    return calls


def _value(outcome: dict[str, Any], cap: int) -> Any:
    if "decoded" in outcome:  # from a batch, read already
        return outcome["decoded"]
    text = outcome.get("value")
    if not isinstance(text, str):
        raise Unreadable("no value")
    if len(text) > cap:
        raise Unreadable("too large")
    return decode(text)


def _raised_names(report: dict[str, Any]) -> list[str]:
    """The classes an exception counts as: the program's own, up to the nearest standard
    exception, then that one's real ancestors. Names are the program's to choose, so a chain of
    classes named ``ValueError``, ``TypeError``... must not pass for every one of them; and
    an exception is judged as its nearest standard type (``class E(KeyError, TypeError)`` is
    a ``KeyError``), so one exception cannot answer every "raises" test either."""
    names = report.get("names")
    if not isinstance(names, list):
        kind = report.get("type")
        names = [kind] if isinstance(kind, str) else []
    own: list[str] = []
    for name in names[:20]:
        if not isinstance(name, str):
            continue
        if name in STANDARD_EXCEPTIONS:
            return own + [c.__name__ for c in getattr(builtins, name).__mro__]
        own.append(name)
    return own


def _exception_text(report: dict[str, Any]) -> str:
    kind = report.get("type") if isinstance(report.get("type"), str) else "an exception"
    message = report.get("message") if isinstance(report.get("message"), str) else ""
    return f"{kind}({message[:200]!r})" if message else str(kind)


def _check_raised(check: Check, error: dict[str, Any]) -> TestResult:
    """An exception where one was expected: its class, then its message."""
    assert check.raises is not None
    names = _raised_names(error)
    got = f"raised {_exception_text(error)}"
    kind = error.get("type")
    if check.raises not in names:
        why = f"raised {kind} where it should have raised {check.raises}"
        return TestResult(Status.WRONG_ANSWER, got=got, expected=check.shown, message=why)
    if check.exact_type and names[0] != check.raises:
        why = (
            f"raised {kind}, a kind of {check.raises}, where it should raise {check.raises} itself"
        )
        return TestResult(Status.WRONG_ANSWER, got=got, expected=check.shown, message=why)
    text = error.get("message") if isinstance(error.get("message"), str) else ""
    if check.match is not None and check.match.lower() not in text.lower():
        return TestResult(
            Status.WRONG_ANSWER,
            got=got,
            expected=f"{check.shown} mentioning {check.match!r}",
            message=f"the {check.raises} should mention {check.match!r}",
        )
    if check.message is not None and text != check.message:
        return TestResult(
            Status.WRONG_ANSWER,
            got=got,
            expected=f"{check.shown}({check.message!r})",
            message=f"the {check.raises}'s message should be exactly {check.message!r}",
        )
    return TestResult(Status.ACCEPTED, got=got, expected=check.shown)


def _check_step(check: Check, outcome: dict[str, Any], spec: JudgeSpec, cap: int) -> TestResult:
    error = outcome.get("error")
    if outcome.get("memory"):
        return TestResult(Status.MEMORY_LIMIT)
    if "unencodable" in outcome:
        return TestResult(
            Status.WRONG_ANSWER,
            expected=check.shown,
            safe=True,
            message="your code returned a value that is nested too deeply to check",
        )
    if isinstance(error, dict):
        if check.raises is None:
            return TestResult(
                Status.RUNTIME_ERROR,
                expected=check.shown,
                report=error,
                message=f"raised {_exception_text(error)} where it should have "
                f"returned {trim(check.shown, 200)}",
            )
        return _check_raised(check, error)
    try:
        value = _value(outcome, cap)
    except Unreadable:
        return TestResult(
            Status.WRONG_ANSWER,
            got="(unreadable)",
            expected=check.shown,
            message=UNREADABLE,
            safe=True,
        )
    if check.equals:
        return _check_equals(check, outcome, value)
    got = _got_text(outcome, value)
    if check.raises is not None:
        return TestResult(
            Status.WRONG_ANSWER,
            got=got,
            expected=check.shown,
            message=f"expected {check.raises}, but it returned {trim(got, 200)}",
        )
    options = spec.compare
    if check.unordered and not options.unordered:
        options = options.model_copy(update={"unordered": True})
    if check.tolerance is not None:
        options = options.model_copy(update={"float_tolerance": check.tolerance})
    why = mismatch(check.value, value, options)
    if why is None:
        return TestResult(Status.ACCEPTED, got=got, expected=check.shown)
    plain = mismatch(check.value, value, options, plain=True) if why else None
    return TestResult(
        Status.WRONG_ANSWER, got=got, expected=check.shown, message=why or None, plain=plain
    )  # type mismatches name kinds, never values


def _check_equals(check: Check, outcome: dict[str, Any], value: Any) -> TestResult:
    """A step compared in the sandbox: ``value`` is whether ``==`` said True."""
    got = outcome.get("repr") if isinstance(outcome.get("repr"), str) else "?"
    other = outcome.get("other") if isinstance(outcome.get("other"), str) else "?"
    expected = f"{check.shown} (that is {other[:SHOWN_VALUE]})"
    if value is True:
        return TestResult(Status.ACCEPTED, got=got[:SHOWN_VALUE], expected=expected)
    return TestResult(
        Status.WRONG_ANSWER,
        got=got[:SHOWN_VALUE],
        expected=expected,
        message=f"got {trim(got, 200)}, which is not == {trim(check.shown, 200)} "
        f"({trim(other, 200)})",
    )


def _got_text(outcome: dict[str, Any], value: Any) -> str:
    shown = outcome.get("repr")
    if type(value).__name__ == "Opaque" and isinstance(shown, str):
        return shown[:SHOWN_VALUE]
    return show(value, SHOWN_VALUE)


def judge_result(
    spec: JudgeSpec, test: TestCase, planned: PlannedTest, event: Result
) -> TestResult:
    """One reported test against its expectations."""
    if spec.kind is Kind.STDIO:
        try:
            steps = _parse_steps(event.steps, 1)
        except Unreadable:
            return TestResult(Status.RUNTIME_ERROR, message=UNREADABLE, safe=True)
        error = steps[0].get("error")
        if steps[0].get("memory"):
            return TestResult(Status.MEMORY_LIMIT)
        if isinstance(error, dict):
            return TestResult(Status.RUNTIME_ERROR, got=event.stdout, report=error)
        expected = test.expected or ""
        passed = normalise_stdout(event.stdout) == normalise_stdout(expected)
        return TestResult(
            Status.ACCEPTED if passed else Status.WRONG_ANSWER, got=event.stdout, expected=expected
        )
    try:
        if planned.batched:
            steps = expand_batch(_parse_steps(event.steps, 1)[0], len(planned.checks), planned.cap)
        else:
            steps = _parse_steps(event.steps, len(planned.checks))
    except Unreadable:
        return TestResult(
            Status.RUNTIME_ERROR,
            message=UNREADABLE + " (it interfered with the judge's channel)",
            safe=True,
        )
    last: TestResult | None = None
    for number, (check, outcome) in enumerate(zip(planned.checks, steps, strict=False)):
        if check is None:
            error = outcome.get("error")
            if outcome.get("memory"):
                return TestResult(Status.MEMORY_LIMIT, step=number)
            if isinstance(error, dict):
                return TestResult(Status.RUNTIME_ERROR, report=error, step=number)
            continue
        result = _check_step(check, outcome, spec, planned.cap)
        result.step = number
        if result.status is not Status.ACCEPTED:
            return result
        if planned.inputs is not None:
            changed = _inputs_changed(planned.inputs, outcome, planned.cap)
            if changed:
                result.status, result.message, result.safe = Status.WRONG_ANSWER, changed, True
                return result
        last = result
    if test.prints is not None and normalise_stdout(event.stdout) != normalise_stdout(test.prints):
        return TestResult(
            Status.WRONG_ANSWER,
            got=event.stdout,
            expected=test.prints,
            message="it printed something different",
            safe=True,
        )
    return last or TestResult(Status.ACCEPTED)


def _inputs_changed(inputs: str, outcome: dict[str, Any], cap: int) -> str | None:
    after = outcome.get("after")
    if not isinstance(after, str) or len(after) > cap:
        return "the judge could not check that your function left its arguments alone"
    try:
        before_value, after_value = decode(inputs), decode(after)
    except Unreadable:
        return "the judge could not check that your function left its arguments alone"
    if mismatch(before_value, after_value, CompareOptions()) is None:
        return None
    return "your function changed the arguments it was given; build and return a new value"


STOP_STATUS = {
    "timeout": Status.TIME_LIMIT,
    "wall": Status.TIME_LIMIT,
    "output": Status.OUTPUT_LIMIT,
    "too_large": Status.WRONG_ANSWER,
    "invalid": Status.RUNTIME_ERROR,
}


def _stop_result(stop: Stopped) -> TestResult:
    result = _stopped(stop)
    result.safe = True  # limits and crashes: nothing about the answer
    return result


def _stopped(stop: Stopped) -> TestResult:
    if stop.t == "died":
        if stop.oom or stop.stderr.rstrip().endswith("MemoryError"):
            return TestResult(Status.MEMORY_LIMIT)
        if stop.signal == signal.SIGXCPU:
            return TestResult(Status.TIME_LIMIT, message="it used more CPU time than allowed")
        if stop.signal == signal.SIGSEGV:
            return TestResult(
                Status.RUNTIME_ERROR,
                message="the program crashed (segmentation fault) — usually recursion far too deep",
            )
        code = f"exit status {stop.code}" if stop.code is not None else f"signal {stop.signal}"
        return TestResult(
            Status.RUNTIME_ERROR,
            message=f"the program stopped unexpectedly "
            f"({code}) — did it call exit() or os._exit()?",
            plain="the program stopped unexpectedly — did it call exit() or os._exit()?",
        )
    status = STOP_STATUS[stop.t]
    if stop.t == "too_large":
        return TestResult(
            status,
            got="(far too large)",
            message="your code returned something far larger than the expected answer",
        )
    if stop.t == "invalid":
        return TestResult(
            status,
            message=f"the program interfered with the judge ({stop.why or 'unexpected messages'})",
        )
    return TestResult(status)


def build_verdict(
    spec: JudgeSpec,
    plan: Plan,
    job: JudgeJob,
    source: str,
    run: RawRun,
    limits: SandboxLimits,
    python_version: str | None,
    runtime: str | None,
) -> Verdict:
    events = run.reader.events
    results = {e.i: e for e in events if isinstance(e, Result)}
    stop = next((e for e in events if isinstance(e, Stopped)), None)
    loaded = next((e for e in events if isinstance(e, Loaded)), None)
    outcomes: list[TestOutcome] = []
    failed: TestOutcome | None = None
    error: ErrorDetail | None = None
    status: Status | None = None

    load = _load_problem(loaded, source) if loaded is not None else None
    if load is not None:
        status, error = load
    elif loaded is None and stop is not None and stop.i is None:
        stopped = _stop_result(stop)
        status = stopped.status
        if status is Status.RUNTIME_ERROR:  # a crash, or interference with the judge
            error = _crash(stopped.message or "the program stopped the judge while loading")

    for position, index in enumerate(job.order):
        if status is not None and failed is None and not outcomes:
            break  # the code did not load: no test ran
        test, planned = spec.tests[index], plan.tests[index]
        event = results.get(position)
        if event is not None:
            result = judge_result(spec, test, planned, event)
            ms, stdout = event.ms, event.stdout
        elif stop is not None and stop.i == position:
            result, ms, stdout = _stop_result(stop), stop.ms, stop.stdout
        else:
            break
        outcome = _outcome(spec, index, test, planned, result, ms, stdout)
        outcomes.append(outcome)
        if failed is None and outcome.status is not Status.ACCEPTED:
            failed = outcome
            status = outcome.status
            if result.report is not None and test.hidden:
                error = hidden_error(result.report)
            elif result.report is not None:
                error = runtime_error(result.report, source)
                if result.step is not None and len(planned.checks) > 1:
                    error.message = (
                        f"{error.message} ({planned.unit} {result.step + 1} of the test)"
                    )
            elif status is Status.RUNTIME_ERROR:
                error = _crash(outcome.message or "the program stopped unexpectedly")
    outcomes.sort(key=lambda o: o.number)
    if status is not None:  # a failed run: hidden tests' timings could carry their inputs out
        for outcome in outcomes:
            if outcome.hidden:
                outcome.duration_ms = None
    if status is None:
        status = _abnormal_end(run, len(outcomes), len(spec.tests))
        if status is Status.RUNTIME_ERROR:
            error = _crash(_why_incomplete(run))
    verdict = Verdict(
        status=status or Status.ACCEPTED,
        summary="",
        passed=sum(o.status is Status.ACCEPTED for o in outcomes),
        total=len(spec.tests),
        tests=outcomes,
        failed=failed,
        error=error,
        duration_ms=round(run.duration * 1000),
        python_version=python_version,
        runtime=runtime,
        peak_memory_kib=run.peak_bytes // 1024 if run.peak_bytes is not None else None,
    )
    verdict.summary = summarise(verdict, limits)
    return verdict


def _outcome(
    spec: JudgeSpec,
    index: int,
    test: TestCase,
    planned: PlannedTest,
    result: TestResult,
    ms: float | None,
    stdout: str,
) -> TestOutcome:
    outcome = TestOutcome(
        number=index + 1,
        hidden=test.hidden,
        status=result.status,
        duration_ms=ms,
        note=test.note or None,
    )
    if result.status is not Status.ACCEPTED:
        if not test.hidden:
            outcome.message = result.message
            if result.status is Status.WRONG_ANSWER:
                outcome.message = _name_the_step(planned, result) or outcome.message
        elif result.plain is not None:
            outcome.message = result.plain
        elif result.safe:
            outcome.message = result.message
    if not test.hidden:
        outcome.stdout = trim(stdout, SHOWN_STDOUT)
        outcome.input = trim(describe_input(spec, test, planned), SHOWN_VALUE)
        expected = result.expected if result.expected is not None else describe_expected(spec, test)
        outcome.expected = trim(expected, SHOWN_VALUE)
        outcome.got = trim(result.got, SHOWN_VALUE) if result.got is not None else None
    return outcome


def hidden_error(report: dict[str, Any]) -> ErrorDetail:
    """A hidden test's exception: its standard type only. The message, the line and the type's
    own name are the program's to choose, so they could spell out the hidden input."""
    name = next((n for n in _raised_names(report) if n in STANDARD_EXCEPTIONS), "Exception")
    return ErrorDetail(type=name, message="", traceback=f"{name} {HIDDEN_TRACEBACK}")


def _name_the_step(planned: PlannedTest, result: TestResult) -> str | None:
    """Which of several checks failed, for a visible test: the expected and got shown below
    it are that step's alone, and without its name they read as the whole test's."""
    step = result.step
    if step is None or sum(check is not None for check in planned.checks) < 2:
        return None
    if planned.batched:
        where = f"call {step + 1}"
    elif step < len(planned.labels):
        where = trim(planned.labels[step], 200)
    else:
        return None
    if result.message:
        return f"{where}: {result.message}"
    if result.got is not None and result.expected is not None:
        return f"{where} gave {trim(result.got, 200)}, expected {trim(result.expected, 200)}"
    return None


def _load_problem(loaded: Loaded, source: str) -> tuple[Status, ErrorDetail | None] | None:
    """Status when the code failed to load (top-level error, entry point missing)."""
    try:
        frame = json.loads(loaded.frame) if len(loaded.frame) <= 200_000 else None
    except (ValueError, RecursionError):
        frame = None
    if not isinstance(frame, dict):
        return Status.RUNTIME_ERROR, _crash(UNREADABLE)
    if frame.get("memory"):
        return Status.MEMORY_LIMIT, None
    missing = frame.get("missing")
    if isinstance(missing, str):
        message = missing[:300]
        return Status.RUNTIME_ERROR, ErrorDetail(
            type="NameError",
            message=f"{message}: keep the name from the starter code",
            traceback=f"NameError: {message}",
        )
    report = frame.get("error")
    if isinstance(report, dict):
        if frame.get("syntax"):  # compiled in the sandbox (a newer Python than the host's)
            line = report.get("line")
            return Status.SYNTAX_ERROR, ErrorDetail(
                type=str(report.get("type", "SyntaxError"))[:100],
                message=str(report.get("message", "invalid syntax"))[:500],
                traceback=str(report.get("exc_only", ""))[-1500:].rstrip(),
                line=line if type(line) is int else None,
            )
        return Status.RUNTIME_ERROR, runtime_error(report, source)
    return None


def _abnormal_end(run: RawRun, reported: int, total: int) -> Status | None:
    """Status when the run did not finish normally, or None if it did."""
    if run.timed_out:
        return Status.TIME_LIMIT
    if run.flooded or run.reader.garbled or not run.finished or reported < total:
        return Status.RUNTIME_ERROR
    return None


def _why_incomplete(run: RawRun) -> str:
    if run.flooded or run.reader.garbled:
        return "the program's results could not be read back"
    if not run.finished:
        return "the program stopped the judge (it may have used too much memory)"
    return "the program ended before all tests ran"


def _crash(text: str) -> ErrorDetail:
    return ErrorDetail(type="Crash", message=text, traceback=text)


def summarise(verdict: Verdict, limits: SandboxLimits) -> str:
    failed = verdict.failed
    where = ""
    if failed is not None:
        where = " on a hidden test" if failed.hidden else f" on test {failed.number}"
    match verdict.status:
        case Status.ACCEPTED:
            return f"Accepted: all {verdict.total} tests passed in {verdict.duration_ms} ms."
        case Status.WRONG_ANSWER:
            reason = f": {failed.message}" if failed is not None and failed.message else ""
            return trim(f"Wrong answer{where}{reason}.", 500)
        case Status.RUNTIME_ERROR:
            error = verdict.error
            what = f"{error.type}: {error.message}" if error else "Runtime error"
            if error is not None and not error.message:
                what = error.type
            if error is not None and error.type == "Crash":
                what = error.message[:1].upper() + error.message[1:]
            line = f" (line {error.line})" if error and error.line else ""
            return trim(f"{what}{line}{where}.", 500)
        case Status.TIME_LIMIT:
            extra = f" ({failed.message})" if failed is not None and failed.message else ""
            return (
                f"Time limit{where}: took longer than {limits.test_seconds:g} s — "
                f"an infinite loop or a slow algorithm?{extra}"
            )
        case Status.MEMORY_LIMIT:
            return (
                f"Memory limit{where}: used more than {limits.memory_mib} MiB — a loop that "
                "keeps adding to a list, or an iterator that never ends turned into a list?"
            )
        case Status.OUTPUT_LIMIT:
            size = f"{limits.output_bytes // 1024} KiB"
            return f"Output limit{where}: printed more than {size}."
        case Status.SYNTAX_ERROR:
            error = verdict.error
            line = f" on line {error.line}" if error and error.line else ""
            return f"Syntax error{line}: {error.message if error else 'invalid syntax'}."
        case _:
            return "The judge is having trouble right now; this attempt was not counted."


__all__ = [
    "article",
    "build_verdict",
    "describe_expected",
    "describe_input",
    "summarise",
    "type_name",
]
