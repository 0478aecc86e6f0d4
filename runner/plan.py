"""Tests compiled for one run: what the learner's process is sent, what the host checks.

Every function and class test becomes a list of steps for the worker (a call with encoded
arguments, a statement, or an expression to report) and, kept on the host, what each step must
produce. Compiling parses every literal once, so plans are cached per spec object.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from .spec import JudgeSpec, Kind, Step, TestCase, parse_call, parse_literal
from .values import decode, encode

BASE_CAP = 8192  # room for one step's report beyond its value (repr, error details)
STEP_CAP = 1500  # per further step


@dataclass(frozen=True)
class Check:
    """What one step must produce: a value, or an exception (a class name, message text)."""

    value: Any = None
    shown: str = ""  # the expected value as the learner reads it
    raises: str | None = None
    match: str | None = None  # text the message must contain
    message: str | None = None  # the whole message
    exact_type: bool = False  # a subclass of ``raises`` will not do
    equals: bool = False  # the value is the sandbox's answer to ``value == <shown>``
    unordered: bool = False  # a list in any order will do, for this step alone
    tolerance: float | None = None  # numbers as close as this will do, for this step alone


@dataclass(frozen=True)
class PlannedTest:
    request: str  # JSON text for the worker
    checks: tuple[Check | None, ...]  # one per step; None: the step's result is not checked
    labels: tuple[str, ...]  # each step as the learner reads it
    inputs: str | None  # encoded arguments, when the call must leave them unchanged
    cap: int  # largest result body accepted, in bytes
    request_size: int
    unit: str = "step"  # what the learner calls one step: a "call" in classic class tests
    batched: bool = False  # classic class test: the worker answers all calls in one list


@dataclass(frozen=True)
class Plan:
    tests: tuple[PlannedTest, ...]
    keeps_output: bool  # some test checks what was printed: keep all of it

    @property
    def request_bytes(self) -> int:
        return sum(t.request_size for t in self.tests)


def _expected(text: str | None, computed: str | None) -> tuple[Any, str]:
    if computed is not None:
        value = decode(computed)
        return value, _shown(value)
    assert text is not None
    return parse_literal(text), text.strip()


def _shown(value: Any) -> str:
    try:
        return repr(value)
    except ValueError:  # an int beyond the digit limit
        return "<a very large number>"


def _cap(checks: list[Check | None], inputs: str | None) -> int:
    cap = BASE_CAP + STEP_CAP * len(checks)
    for check in checks:
        if check is not None and check.raises is None:
            cap += 4 * len(encode(check.value)) + 64  # room for JSON escaping of the text
    if inputs is not None:
        cap += 2 * len(inputs)
    return cap


def plan_test(spec: JudgeSpec, test: TestCase, reference: bool = False) -> PlannedTest:
    """``reference``: a reference solution is run to learn every result, so all are reported."""
    if spec.kind is Kind.STDIO:
        request = json.dumps({"stdin": test.stdin})
        return PlannedTest(request, (), (), None, BASE_CAP, len(request))
    steps: list[dict[str, Any]] = []
    checks: list[Check | None] = []
    labels: list[str] = []
    inputs = None
    if test.steps:
        for step in test.steps:
            steps.append({"code": step.expr, "report": step.checked})
            labels.append(step.expr)
            if step.equals is not None:
                steps[-1]["equals"] = step.equals
                checks.append(Check(value=True, shown=step.equals, equals=True))
            elif step.raises is not None:
                checks.append(_raising(step))
            elif step.checked:
                value, shown = _expected(step.expected, step.expected_json)
                checks.append(
                    Check(
                        value=value,
                        shown=shown,
                        unordered=step.unordered,
                        tolerance=step.tolerance,
                    )
                )
            else:
                checks.append(None)
    elif spec.kind is Kind.CLASS:
        calls = parse_literal(test.calls)
        if test.expected_json is not None:
            results = list(decode(test.expected_json))
            shown = [_shown(r) for r in results]
        else:
            results = list(parse_literal(test.expected or "[]"))
            shown = [_shown(r) for r in results]
        results += [None] * (len(calls) - len(results))  # a placeholder before a reference run
        shown += ["None"] * (len(calls) - len(shown))
        # One batch: the object is built, then every call runs in a tight loop in the worker.
        report = []
        for number in range(len(calls)):
            if number == 0 or (results[number] is None and not reference):
                checks.append(None)  # the constructor, or None: not checked (a fluent `self`)
                report.append(False)
            else:
                checks.append(Check(value=results[number], shown=shown[number]))
                report.append(True)
        batch = [[name, list(args)] for name, *args in calls]
        steps.append({"batch": spec.entry_point, "data": encode(batch), "report": report})
    else:
        data = test.data or encode(list(_positional_and_keywords(test.args)))
        step = {"call": spec.entry_point, "data": data, "report": True}
        if spec.compare.inputs_unchanged and test.raises is None:  # a raise has no "after"
            step["after"] = True
            inputs = data
        steps.append(step)
        labels.append(
            f"{spec.entry_point}({test.args.strip()})"
            if not test.data
            else f"{spec.entry_point}(…)"
        )
        if test.raises is not None:
            checks.append(_raising(test))
        elif test.expected is not None or test.expected_json is not None:
            value, shown = _expected(test.expected, test.expected_json)
            checks.append(Check(value=value, shown=shown))
        else:
            checks.append(None)
    request = json.dumps({"steps": steps})
    batched = spec.kind is Kind.CLASS and not test.steps
    return PlannedTest(
        request,
        tuple(checks),
        tuple(labels),
        inputs,
        _cap(checks, inputs),
        len(request),
        "call" if batched else "step",
        batched,
    )


def _positional_and_keywords(text: str) -> tuple[list[Any], dict[str, Any]]:
    args, kwargs = parse_call(text)
    return list(args), kwargs


class _PlanCache:
    """Plans by spec identity (specs are immutable in use; a copy is a new spec)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._plans: OrderedDict[tuple[int, bool], tuple[JudgeSpec, Plan]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, spec: JudgeSpec, reference: bool = False) -> Plan:
        key = (id(spec), reference)
        with self._lock:
            found = self._plans.get(key)
            if found is not None and found[0] is spec:
                self._plans.move_to_end(key)
                return found[1]
        made = Plan(
            tuple(plan_test(spec, t, reference) for t in spec.tests),
            keeps_output=any(t.prints is not None for t in spec.tests),
        )
        with self._lock:
            self._plans[key] = (spec, made)  # holding the spec keeps its id from being reused
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)
        return made


plan_for = _PlanCache().get


def _raising(expectation: Step | TestCase) -> Check:
    """The check of a step or test that expects an exception."""
    return Check(
        raises=expectation.raises,
        match=expectation.match,
        message=expectation.message,
        exact_type=expectation.exact_type,
        shown=f"raises {expectation.raises}",
    )
