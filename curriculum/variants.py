"""Concrete, judgeable problems: template parameters filled and generated inputs computed.

Seed 0 is a problem exactly as written. Any other seed picks parameter values deterministically
and, for templates and generated cases, the expected values come from running the reference
solution in the sandbox — never from hand.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from runner import JudgeSpec, Kind, Runner, TestCase
from runner.spec import Step
from runner.values import encode

from .schema import PLACEHOLDER, Case, Problem

GENERATOR_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "abs",
        "all",
        "any",
        "bool",
        "chr",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "int",
        "len",
        "list",
        "map",
        "max",
        "min",
        "ord",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "sorted",
        "str",
        "sum",
        "tuple",
        "zip",
    )
}


@dataclass(frozen=True)
class Variant:
    """One problem as a learner sees and is judged on it."""

    problem: Problem
    seed: int
    params: dict[str, Any]
    title: str
    statement: str
    starter: str
    solution: str
    slow_solution: str
    wrong_solutions: tuple[tuple[str, str], ...]  # (note, code) of each plausible mistake
    hints: tuple[str, ...]
    explanation: str
    spec: JudgeSpec

    @property
    def key(self) -> str:
        return f"{self.problem.id}@{self.seed}"


def choose_params(problem: Problem, seed: int) -> dict[str, Any]:
    if seed == 0:
        return {name: p.choices[0] for name, p in problem.parameters.items()}
    rng = random.Random(f"{problem.id}:{seed}")
    return {name: rng.choice(p.choices) for name, p in sorted(problem.parameters.items())}


def fill(text: str, params: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        chosen = params[match.group(1)]
        return str(chosen[match.group(2)] if match.group(2) else chosen)

    return PLACEHOLDER.sub(value, text) if params else text


@dataclass(frozen=True)
class VariantText:
    """What a learner reads of one variant, placeholders filled. Cheap: builds no tests, so it
    can title a button, a modal or an autocomplete entry before anything is judged."""

    title: str
    statement: str
    starter: str


def variant_text(problem: Problem, seed: int = 0) -> VariantText:
    params = choose_params(problem, seed)
    return VariantText(
        title=fill(problem.title, params),
        statement=fill(problem.statement, params),
        starter=fill(problem.starter, params),
    )


def _generated_input(
    problem: Problem, case: Case, params: dict[str, Any], seed: int, index: int
) -> dict[str, str]:
    rng = random.Random(f"{problem.id}:{seed}:{index}")
    # Curriculum files are trusted, reviewed content; generators only build inputs. One globals
    # dict, so comprehensions inside the expression can see rng and the parameters.
    namespace = {"__builtins__": GENERATOR_BUILTINS, "rng": rng, **params}
    value = eval(fill(case.generate, params), namespace)
    if problem.kind is Kind.STDIO:
        return {"stdin": str(value)}
    if problem.kind is Kind.CLASS:
        return {"calls": repr(list(value))}
    if not isinstance(value, tuple):
        raise ValueError(f"generate must give a tuple of arguments, got {type(value).__name__}")
    return {"data": encode([list(value), {}])}  # sent as it is: no literal to parse


def _fill_step(step: Any, params: dict[str, Any]) -> Any:
    if not params:
        return step
    return Step.model_validate(
        {
            **step.model_dump(),
            "expr": fill(step.expr, params),
            "expected": fill(step.expected, params) if step.expected is not None else None,
            "match": fill(step.match, params) if step.match is not None else None,
            "message": fill(step.message, params) if step.message is not None else None,
            "equals": fill(step.equals, params) if step.equals is not None else None,
        }
    )


def draft(problem: Problem, seed: int = 0) -> tuple[Variant, list[int]]:
    """The variant with every input in place, and the indices of tests still needing expected."""
    params = choose_params(problem, seed)
    cases: list[TestCase] = []
    missing: list[int] = []
    recompute = seed != 0 and problem.is_template
    for index, (name, case) in enumerate(problem.cases()):
        if case.generate:
            inputs: dict[str, Any] = _generated_input(problem, case, params, seed, index)
        else:
            inputs = {
                "args": fill(case.args, params),
                "calls": fill(case.calls, params),
                "stdin": fill(case.stdin, params),
                "steps": [_fill_step(step, params) for step in case.steps],
            }
        expectation = {
            "raises": case.raises,
            "match": case.match,
            "message": fill(case.message, params) if case.message is not None else None,
            "exact_type": case.exact_type,
            "prints": fill(case.prints, params) if case.prints is not None else None,
        }
        expected = None if recompute or case.expected is None else fill(case.expected, params)
        # Written steps are checked against the reference (seed 0), not replaced by its answers.
        if (expected is None and case.raises is None and not case.steps) or (
            recompute and case.steps
        ):
            missing.append(index)
        if expected is None and case.raises is None and not case.steps:
            # a placeholder until the reference runs
            if problem.kind is Kind.STDIO:
                expected = ""
            else:
                expectation["expected_json"] = "[]" if problem.kind is Kind.CLASS else "null"
        cases.append(
            TestCase(
                **inputs,
                **expectation,
                expected=expected,
                note=case.note,
                hidden=name.startswith("tests"),
            )
        )
    spec = JudgeSpec(
        kind=problem.kind,
        entry_point=problem.entry_point,
        tests=cases,
        compare=problem.compare,
        test_seconds=problem.time_limit,
    )
    variant = Variant(
        problem=problem,
        seed=seed,
        params=params,
        title=fill(problem.title, params),
        statement=fill(problem.statement, params),
        starter=fill(problem.starter, params),
        solution=fill(problem.solution, params),
        slow_solution=fill(problem.slow_solution, params),
        wrong_solutions=tuple((w.note, fill(w.code, params)) for w in problem.wrong_solutions),
        hints=tuple(fill(h, params) for h in problem.hints),
        explanation=fill(problem.explanation, params),
        spec=spec,
    )
    return variant, missing


async def materialise(problem: Problem, seed: int, runner: Runner) -> Variant:
    """A complete variant; runs the reference solution only if some expected value is missing."""
    variant, missing = draft(problem, seed)
    if not missing:
        return variant
    computed = await runner.outputs(variant.solution, variant.spec)
    tests = [
        computed.tests[i] if i in missing else test for i, test in enumerate(variant.spec.tests)
    ]
    spec = variant.spec.model_copy(update={"tests": tests})
    return Variant(**{**variant.__dict__, "spec": spec})


class VariantCache:
    """Completed variants, computed once per (problem content, seed), also under concurrency."""

    def __init__(self, runner: Runner, size: int = 512) -> None:
        self.runner = runner
        self.size = size
        self._done: OrderedDict[str, Variant] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, problem: Problem, seed: int = 0) -> Variant:
        digest = hashlib.sha1(problem.model_dump_json().encode()).hexdigest()[:12]
        key = f"{problem.id}@{seed}:{digest}"
        if key not in self._done:
            lock = self._locks.setdefault(key, asyncio.Lock())
            async with lock:
                if key not in self._done:
                    self._done[key] = await materialise(problem, seed, self.runner)
                    while len(self._done) > self.size:
                        self._done.popitem(last=False)
            self._locks.pop(key, None)
        self._done.move_to_end(key)
        return self._done[key]
