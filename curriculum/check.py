"""Proving the course correct in the real sandbox: `pydojo curriculum check`.

For every problem: the reference solution is accepted (with time to spare), the starter code,
a trivial stub and every declared wrong solution are rejected (no vacuous tests), a declared slow
solution times out even with twice the time limit, template variants really vary and still
reject the starter, and no hint repeats the reference's code. Coverage rules are checked over the
whole course.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field

from runner import Kind, OutputsUnavailable, Runner, SandboxUnavailable, Status, Verdict

from .loader import Curriculum
from .overlap import hint_failures
from .schema import Difficulty, Problem
from .variants import choose_params, draft, materialise

MIN_PROBLEMS = 150
MIN_MODULES = 12
MIN_PER_DIFFICULTY = 3
MIN_TEMPLATES = 20
VARIANTS_CHECKED = 2  # extra seeds per template
REFERENCE_MARGIN = 0.5  # the reference may use at most this share of the per-test limit
SLOW_MARGIN = 2.0  # the naive answer must still time out with this many times the limit
MIN_WRONG_SOLUTIONS = 1  # per problem of the levels below: a plausible mistake, proven rejected
NEEDS_WRONG_SOLUTIONS = (Difficulty.INTERMEDIATE, Difficulty.ADVANCED)
TIMING_RETRIES = 2  # a problem that missed only on time is measured this many more times, alone


@dataclass
class CheckReport:
    counts: dict[str, Counter[str]]
    templates: int
    checked: int
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "problems": self.total,
            "modules": len(self.counts),
            "templates": self.templates,
            "checked": self.checked,
            "counts": {
                m: {d.value: c[d.value] for d in Difficulty} for m, c in self.counts.items()
            },
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
        }

    def render(self) -> str:
        width = max([len(m) for m in self.counts] + [6])
        head = f"{'module':<{width}}  " + "  ".join(f"{d.value[:5]:>5}" for d in Difficulty)
        lines = [head + "  total"]
        for module, counter in self.counts.items():
            cells = "  ".join(f"{counter[d.value]:>5}" for d in Difficulty)
            lines.append(f"{module:<{width}}  {cells}  {sum(counter.values()):>5}")
        lines.append(
            f"{self.total} problems in {len(self.counts)} modules, "
            f"{self.templates} templates; {self.checked} checked in the sandbox "
            f"in {self.seconds:.0f} s"
        )
        if self.failures:
            lines.append(f"\n{len(self.failures)} failure(s):")
            lines += [f"  - {f}" for f in self.failures]
        else:
            lines.append("all checks passed")
        return "\n".join(lines)


def coverage_failures(
    curriculum: Curriculum, problems: list[Problem], whole: bool, modules: bool = True
) -> list[str]:
    """Coverage rules: per problem always, per module when ``modules`` are checked whole, the
    course when ``whole``."""
    failures = []
    for problem in problems:
        if (
            problem.difficulty in NEEDS_WRONG_SOLUTIONS
            and len(problem.wrong_solutions) < MIN_WRONG_SOLUTIONS
        ):
            failures.append(
                f"{problem.id}: an {problem.difficulty.value} problem needs at least "
                f"{MIN_WRONG_SOLUTIONS} wrong_solutions entry (a plausible mistake "
                "the tests reject)"
            )
    counts = _counts(problems) if modules else {}
    for module, counter in counts.items():
        for level in Difficulty:
            if counter[level.value] < MIN_PER_DIFFICULTY:
                failures.append(
                    f"module {module}: {counter[level.value]} {level.value} problems "
                    f"(needs {MIN_PER_DIFFICULTY})"
                )
    if whole:
        if len(problems) < MIN_PROBLEMS:
            failures.append(f"{len(problems)} problems (needs {MIN_PROBLEMS})")
        if len(curriculum.modules) < MIN_MODULES:
            failures.append(f"{len(curriculum.modules)} modules (needs {MIN_MODULES})")
        templates = sum(p.is_template for p in problems)
        if templates < MIN_TEMPLATES:
            failures.append(f"{templates} parametrised problems (needs {MIN_TEMPLATES})")
        for module in curriculum.modules:
            if module not in counts:
                failures.append(f"module {module}: no problems")
    return failures


def hint_check(problem: Problem) -> list[str]:
    """Hints against the reference, as learners see them at seed 0 (no sandbox needed)."""
    variant, _ = draft(problem, 0)
    return hint_failures(problem.id, variant.hints, variant.solution, variant.starter)


def trivial_stub(problem: Problem) -> str:
    """The laziest wrong answer: returns None / prints nothing."""
    if problem.kind is Kind.FUNCTION:
        return f"def {problem.entry_point}(*args, **kwargs):\n    return None\n"
    if problem.kind is Kind.CLASS:
        return (
            f"class {problem.entry_point}:\n"
            "    def __init__(self, *args, **kwargs):\n        pass\n\n"
            "    def __getattr__(self, name):\n        return lambda *args, **kwargs: None\n"
        )
    return "pass\n"


def _describe(verdict: Verdict) -> str:
    text = verdict.summary
    failed = verdict.failed
    if failed is not None and failed.input is not None:
        text += f" input={failed.input[:200]!r} expected={failed.expected!r} got={failed.got!r}"
    if verdict.error is not None and verdict.status is not Status.WRONG_ANSWER:
        text += f" | {verdict.error.traceback[-400:]}"
    return text


async def check_problem(problem: Problem, runner: Runner) -> list[str]:
    name = problem.id
    try:
        variant = await materialise(problem, 0, runner)
    except OutputsUnavailable as exc:
        return [f"{name}: reference solution failed on a generated test: {exc}"]
    failures = []
    reference = await runner.judge(variant.solution, variant.spec)
    if not reference.accepted:
        failures.append(f"{name}: reference solution not accepted: {_describe(reference)}")
    else:
        limit_ms = runner.limits.for_problem(problem.time_limit).test_seconds * 1000
        slowest = max((t.duration_ms or 0.0) for t in reference.tests)
        if slowest > REFERENCE_MARGIN * limit_ms:
            failures.append(
                f"{name}: reference takes {slowest:.0f} ms on one test; keep it under "
                f"{REFERENCE_MARGIN * limit_ms:.0f} ms so fair answers pass"
            )
    wrong = [("starter code", variant.starter), ("trivial stub", trivial_stub(problem))]
    wrong += [(f"wrong solution ({note})", code) for note, code in variant.wrong_solutions]
    for label, source in wrong:
        verdict = await runner.judge(source, variant.spec)
        if verdict.accepted:
            failures.append(f"{name}: the {label} is accepted, so the tests prove nothing")
        elif verdict.status is Status.SANDBOX_ERROR:
            failures.append(f"{name}: sandbox error judging the {label}: {verdict.summary}")
        elif verdict.status is Status.SYNTAX_ERROR and label.startswith("wrong"):
            failures.append(f"{name}: the {label} does not compile, so it proves nothing")
    if problem.slow_solution:
        # With room to spare, so that a quiet or faster machine does not let it through.
        limit = runner.limits.for_problem(problem.time_limit).test_seconds
        generous = variant.spec.model_copy(update={"test_seconds": SLOW_MARGIN * limit})
        slow = await runner.judge(variant.slow_solution, generous)
        if slow.status is not Status.TIME_LIMIT:
            failures.append(
                f"{name}: slow_solution must time out even with {SLOW_MARGIN:g}x "
                f"the time limit ({SLOW_MARGIN * limit:g} s): {_describe(slow)}"
            )
    if problem.is_template:
        seen = {json.dumps(variant.params, sort_keys=True)}
        for seed in range(1, VARIANTS_CHECKED + 1):
            try:
                other = await materialise(problem, seed, runner)
            except OutputsUnavailable as exc:
                failures.append(f"{name}@{seed}: reference failed on the variant: {exc}")
                continue
            seen.add(json.dumps(other.params, sort_keys=True))
            verdict = await runner.judge(other.starter, other.spec)
            if verdict.accepted:
                failures.append(f"{name}@{seed}: the starter code passes this variant")
        seen |= {
            json.dumps(choose_params(problem, seed), sort_keys=True) for seed in range(1, 50)
        }  # choosing is cheap: look further than judged
        if len(seen) < 2:
            failures.append(f"{name}: seeds 0..49 all gave the same parameters")
    return failures


async def check_curriculum(
    curriculum: Curriculum,
    runner: Runner,
    problems: list[Problem] | None = None,
    whole_modules: bool = True,
) -> CheckReport:
    """Check ``problems`` (default: the whole course); ``whole_modules`` if they are entire
    modules, so that per-module coverage applies."""
    whole = problems is None
    chosen = list(curriculum.problems.values()) if problems is None else problems
    started = time.monotonic()
    failures = coverage_failures(curriculum, chosen, whole, whole_modules or whole)

    async def guarded(problem: Problem) -> list[str]:
        try:
            return hint_check(problem) + await check_problem(problem, runner)
        except SandboxUnavailable as exc:
            return [f"{problem.id}: sandbox unavailable: {exc}"]
        except Exception as exc:  # a broken generator or template must not hide the rest
            return [f"{problem.id}: {type(exc).__name__}: {exc}"]

    results = await asyncio.gather(*(guarded(p) for p in chosen))
    for problem, result in zip(chosen, results, strict=True):
        # Durations are wall time, so a busy machine can push a fair reference over its
        # budget. What missed only on time is measured again one problem at a time; the
        # fastest measurement is the closest to its real cost.
        for _ in range(TIMING_RETRIES):
            if not result or not all(_is_timing(f) for f in result):
                break
            result = await guarded(problem)
        failures += result
    return CheckReport(
        counts=_counts(chosen),
        templates=sum(p.is_template for p in chosen),
        checked=len(chosen),
        failures=failures,
        seconds=time.monotonic() - started,
    )


def _is_timing(failure: str) -> bool:
    """A failure that says the reference was too slow (not that the tests are wrong)."""
    text = failure.lower()
    return "keep it under" in text or ("time limit" in text and "slow_solution" not in text)


def _counts(problems: list[Problem]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for problem in problems:
        counts.setdefault(problem.module, Counter())[problem.difficulty.value] += 1
    return counts
