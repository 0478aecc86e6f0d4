"""What a run produced, as data: a program's output (``/run``), or a reference solution's
answers turned into a spec's expectations."""

from __future__ import annotations

import json
import signal
from typing import Any

from .engine import RawRun, SandboxUnavailable
from .judging import expand_batch
from .limits import SandboxLimits
from .plan import Plan, PlannedTest
from .protocol import Exit, JudgeJob, Loaded, Out, Result, Stopped
from .spec import JudgeSpec, Kind, TestCase
from .values import Opaque, Unreadable, decode
from .verdict import RunResult, RunStatus

REFERENCE_CAP = 64 * 1024 * 1024  # a reference solution's answers are trusted to be sane


class OutputsUnavailable(Exception):
    """A reference solution did not produce a usable answer for every test."""


def run_result(raw: RawRun, limits: SandboxLimits, python: str | None) -> RunResult:
    """A ``/run`` result from the events of an eval-like run."""
    events = raw.reader.events
    out: list[str] = []
    err: list[str] = []
    room = limits.output_bytes
    for event in events:
        if isinstance(event, Out) and room > 0:
            piece = event.data[:room]
            room -= len(piece)
            (out if event.fd == 1 else err).append(piece)
    ending = next((e for e in events if isinstance(e, Exit | Stopped)), None)
    status, message, code = RunStatus.OK, "", None
    truncated = False
    if isinstance(ending, Exit):
        code = (
            ending.code
            if ending.code is not None
            else (128 + ending.signal if ending.signal else None)
        )
        if ending.oom:
            status, message = (
                RunStatus.MEMORY,
                f"used more than {limits.memory_mib} MiB and was stopped",
            )
        elif ending.signal == signal.SIGXCPU:
            status, message = RunStatus.TIMEOUT, "used more CPU time than allowed and was stopped"
        elif code != 0:
            status, message = RunStatus.ERROR, f"exited with status {code}"
    elif isinstance(ending, Stopped) and ending.t == "output":
        status, truncated = RunStatus.OUTPUT_LIMIT, True
        message = f"output stopped after {limits.output_bytes // 1024} KiB"
    elif (isinstance(ending, Stopped) and ending.t == "wall") or raw.timed_out:
        status, message = (
            RunStatus.TIMEOUT,
            f"took longer than {limits.wall_seconds:g} s and was stopped",
        )
    else:
        status, message = RunStatus.ERROR, "the program's output could not be read back"
    return RunResult(
        status=status,
        exit_code=code,
        stdout="".join(out),
        stderr="".join(err),
        truncated=truncated,
        duration_ms=round(raw.duration * 1000),
        message=message,
        python_version=python,
        runtime=limits.runtime,
    )


def observed_spec(spec: JudgeSpec, plan: Plan, job: JudgeJob, raw: RawRun) -> JudgeSpec:
    """``spec`` with each test expecting exactly what the reference run produced."""
    if raw.unready:
        raise SandboxUnavailable("the sandbox did not start in time")
    events = raw.reader.events
    results = {e.i: e for e in events if isinstance(e, Result)}
    stop = next((e for e in events if isinstance(e, Stopped)), None)
    loaded = next((e for e in events if isinstance(e, Loaded)), None)
    tests = list(spec.tests)
    for position, index in enumerate(job.order):
        event = results.get(position)
        if event is None:
            raise OutputsUnavailable(f"test {index + 1}: {_why(stop, position, loaded, raw)}")
        try:
            tests[index] = _expect(spec, spec.tests[index], event, plan.tests[index])
        except (Unreadable, ValueError) as exc:
            raise OutputsUnavailable(f"test {index + 1}: {exc}") from None
    return spec.model_copy(update={"tests": tests})


def _expect(spec: JudgeSpec, test: TestCase, event: Result, planned: PlannedTest) -> TestCase:
    checks = planned.checks
    if spec.kind is Kind.STDIO:
        steps = json.loads(event.steps)
        if steps and isinstance(steps[0], dict) and "error" in steps[0]:
            raise ValueError(f"raised {_error_name(steps[0])}")
        return test.model_copy(update={"expected": event.stdout})
    outcomes = json.loads(event.steps)
    if planned.batched:
        calls = expand_batch(outcomes[0], len(checks), REFERENCE_CAP)
        if any("decoded" not in call for call in calls):
            raise ValueError(f"call {len(calls)} raised {_error_name(calls[-1])}")
        if any(isinstance(call["decoded"], Opaque) for call in calls):
            raise ValueError("a call returned an object that cannot be compared")
        return test.model_copy(update={"expected": None, "expected_json": outcomes[0]["values"]})
    if not isinstance(outcomes, list) or len(outcomes) != len(checks):
        raise ValueError("no answer for every step")
    values: list[str | None] = []
    raised: list[str | None] = []
    for check, outcome in zip(checks, outcomes, strict=True):
        if check is None:
            if "error" in outcome:
                raise ValueError(f"a step raised {_error_name(outcome)}")
            values.append(None)
            raised.append(None)
            continue
        if "error" in outcome:
            name = _error_name(outcome)
            if check.raises is None:
                raise ValueError(f"raised {name}")
            if check.raises not in (outcome["error"].get("names") or []):
                raise ValueError(f"raised {name}, not the {check.raises} the test expects")
            values.append(None)
            raised.append(check.raises)
            continue
        text = outcome.get("value")
        if not isinstance(text, str):
            raise ValueError("no value")
        if isinstance(decode(text), Opaque):
            raise ValueError("returned an object that cannot be compared")
        if check.raises is not None:
            raise ValueError(f"returned a value where the test expects {check.raises}")
        values.append(text)
        raised.append(None)
    if test.steps:
        steps = [
            step.model_copy(update={"expected": None, "expected_json": value})
            if step.checked and step.raises is None and step.equals is None
            else step
            for step, value in zip(test.steps, values, strict=True)
        ]
        return test.model_copy(update={"steps": steps})
    if spec.kind is Kind.CLASS:
        joined = "[" + ", ".join(v if v is not None else "null" for v in values) + "]"
        return test.model_copy(update={"expected": None, "expected_json": joined})
    if raised[0] is not None:
        return test
    return test.model_copy(update={"expected": None, "expected_json": values[0]})


def _error_name(outcome: dict[str, Any]) -> str:
    error = outcome.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {str(error.get('message'))[:200]}"
    return "an exception"


def _why(stop: Stopped | None, position: int, loaded: Loaded | None, raw: RawRun) -> str:
    if loaded is not None:
        try:
            frame = json.loads(loaded.frame)
        except ValueError:
            frame = {}
        if isinstance(frame, dict) and isinstance(frame.get("error"), dict):
            error = frame["error"]
            return f"failed to load: {error.get('exc_only') or error.get('message')}"
        if isinstance(frame, dict) and frame.get("missing"):
            return f"failed to load: {frame['missing']}"
    if stop is not None and stop.i == position:
        return {
            "timeout": "time limit",
            "wall": "time limit (the whole run)",
            "output": "output limit",
            "too_large": "answer too large",
            "died": "memory limit" if stop.oom else "the program died",
            "invalid": f"invalid result ({stop.why})",
            "unready": "the sandbox did not start in time",
        }[stop.t]
    if raw.timed_out:
        return "time limit (the whole run)"
    return "no result (the program crashed or printed too much)"
