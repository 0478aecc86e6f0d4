"""Concrete, judgeable problems: template parameters filled and generated inputs computed.

Seed 0 is a problem exactly as written. Any other seed picks parameter values deterministically
and, for templates and generated cases, the expected values come from running the reference
solution in the sandbox — never from hand.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import random
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from runner import JudgeSpec, Kind, Runner, TestCase

from .schema import PLACEHOLDER, Case, Problem

GENERATOR_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("abs", "all", "any", "bool", "chr", "dict", "divmod", "enumerate", "filter",
                 "float", "int", "len", "list", "map", "max", "min", "ord", "range", "repr",
                 "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip")
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


def _generated_input(problem: Problem, case: Case, params: dict[str, Any], seed: int,
                     index: int) -> dict[str, str]:
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
    return {"args": ", ".join(repr(arg) for arg in value)}


def draft(problem: Problem, seed: int = 0) -> tuple[Variant, list[int]]:
    """The variant with every input in place, and the indices of tests still needing expected."""
    params = choose_params(problem, seed)
    cases: list[TestCase] = []
    missing: list[int] = []
    recompute = seed != 0 and problem.is_template
    for index, (name, case) in enumerate(problem.cases()):
        if case.generate:
            inputs = _generated_input(problem, case, params, seed, index)
        else:
            inputs = {"args": fill(case.args, params), "calls": fill(case.calls, params),
                      "stdin": fill(case.stdin, params)}
        expected = None if recompute or case.expected is None else fill(case.expected, params)
        if expected is None:
            missing.append(index)
        if expected is None:  # a placeholder of the right shape until the reference runs
            calls = inputs.get("calls")
            expected = repr([None] * len(ast.literal_eval(calls))) if calls else "None"
        cases.append(TestCase(**inputs, expected=expected, hidden=name.startswith("tests")))
    spec = JudgeSpec(kind=problem.kind, entry_point=problem.entry_point, tests=cases,
                     compare=problem.compare, test_seconds=problem.time_limit)
    variant = Variant(
        problem=problem, seed=seed, params=params, title=fill(problem.title, params),
        statement=fill(problem.statement, params), starter=fill(problem.starter, params),
        solution=fill(problem.solution, params),
        slow_solution=fill(problem.slow_solution, params),
        hints=tuple(fill(h, params) for h in problem.hints),
        explanation=fill(problem.explanation, params), spec=spec)
    return variant, missing


async def materialise(problem: Problem, seed: int, runner: Runner) -> Variant:
    """A complete variant; runs the reference solution only if some expected value is missing."""
    variant, missing = draft(problem, seed)
    if not missing:
        return variant
    values = await runner.outputs(variant.solution, variant.spec)
    tests = [
        test.model_copy(update={"expected": values[i]}) if i in missing else test
        for i, test in enumerate(variant.spec.tests)
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
