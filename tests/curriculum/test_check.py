"""`pydojo curriculum check` logic against the real sandbox, on a small course with faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from curriculum import VariantCache, load_curriculum, materialise
from curriculum.check import TIMING_RETRIES, check_curriculum
from runner import JudgeSpec, Runner, RunnerConfig, Status, Verdict
from runner.values import decode
from tests.course_factory import wrong_solution

from .test_variants_and_selection import template_course

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
async def runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=2)) as shared:
        yield shared


async def test_expected_values_of_generated_cases_come_from_the_reference(
    write, course_dir: Path, runner: Runner
) -> None:
    problem = template_course(write, course_dir)
    variant = await materialise(problem, 3, runner)
    n = variant.params["step"]["n"]
    last = variant.spec.tests[-1]
    (a, b), _ = decode(last.data)  # generated inputs travel encoded, never as literal text
    assert decode(last.expected_json) == a + b + n
    assert decode(variant.spec.tests[0].expected_json) == 2 + 3 + n  # examples recomputed too
    verdict = await runner.judge(variant.solution, variant.spec)
    assert verdict.status is Status.ACCEPTED
    cache = VariantCache(runner)
    assert (await cache.get(problem, 3)).spec == variant.spec
    assert await cache.get(problem, 3) is await cache.get(problem, 3)


async def test_check_finds_every_kind_of_fault(write, course_dir: Path, runner: Runner) -> None:
    write("good")
    write("vacuous", starter_body="return a + b")
    write("wrong-reference", solution_body="return a - b")
    not_slow = write("not-slow")
    not_slow.write_text(
        not_slow.read_text().replace(
            "hints =", 'slow_solution = """\ndef add(a, b):\n    return a + b\n"""\nhints =', 1
        )
    )
    course = load_curriculum(course_dir)
    report = await check_curriculum(course, runner)
    text = "\n".join(report.failures)
    assert "vacuous: the starter code is accepted" in text
    assert "wrong-reference: reference solution not accepted" in text
    assert "not-slow: slow_solution must time out even with 2x the time limit" in text
    assert "good:" not in text
    assert "4 problems (needs 150)" in text  # coverage is judged on the whole course
    assert not report.ok and report.checked == 4
    only_good = await check_curriculum(course, runner, [course.problems["good"]])
    assert [f for f in only_good.failures if "good" in f] == []


async def test_written_steps_and_raises_are_checked_against_the_reference(
    write, course_dir: Path, runner: Runner
) -> None:
    steps = (
        '\n[[tests]]\nsteps = ["x = add(1, 2)", {{ expr = "add(x, 1)", expected = "{value}" }}]\n'
        '\n[[tests]]\nargs = "1, None"\nraises = "TypeError"\n'
    )
    write("steps-right", extra=steps.format(value=4))
    write("steps-wrong", extra=steps.format(value=5))  # the file promises what add cannot give
    course = load_curriculum(course_dir)
    report = await check_curriculum(course, runner, list(course.problems.values()), False)
    text = "\n".join(report.failures)
    assert "steps-wrong: reference solution not accepted" in text
    assert "steps-right" not in text
    variant = await materialise(course.problems["steps-right"], 0, runner)
    assert variant.spec.tests[-2].steps[1].expected == "4"  # as written, not recomputed


async def test_wrong_solutions_and_hints_are_proven(
    write, course_dir: Path, runner: Runner
) -> None:
    caught = wrong_solution("subtracts", "def add(a, b):\n    return a - b")
    write("proven", difficulty="intermediate", extra=caught)
    write(
        "lenient",
        difficulty="advanced",
        extra=caught
        + wrong_solution("adds in the other order", "def add(a, b):\n    return b + a"),
    )
    write(
        "broken-mistake",
        difficulty="intermediate",
        extra=wrong_solution("forgets the colon", "def add(a, b)\n    return a"),
    )
    write("unproven", difficulty="intermediate")
    write("leaky", hints='["Think about operators.", "Use `+`.", "Write `return a + b`."]')
    course = load_curriculum(course_dir)
    failures = (await check_curriculum(course, runner)).failures
    text = "\n".join(failures)
    assert "lenient: the wrong solution (adds in the other order) is accepted" in text
    assert "lenient: the wrong solution (subtracts)" not in text
    assert "broken-mistake: the wrong solution (forgets the colon) does not compile" in text
    assert "unproven: an intermediate problem needs at least 1 wrong_solutions entry" in text
    assert "leaky: hint 3 contains a line of the reference solution ('return a + b')" in text
    assert "leaky: hint 2" not in text
    assert [f for f in failures if f.startswith("proven:")] == []
    assert not any(f.startswith("broken-mistake: an intermediate") for f in failures)


class CountingRunner:
    """The shared runner, counting how often each source is judged."""

    def __init__(self, inner: Runner) -> None:
        self.inner = inner
        self.limits = inner.limits
        self.judged: list[str] = []

    async def judge(self, source: str, spec: JudgeSpec, **kwargs: Any) -> Verdict:
        self.judged.append(source)
        return await self.inner.judge(source, spec, **kwargs)

    async def outputs(self, source: str, spec: JudgeSpec) -> JudgeSpec:
        return await self.inner.outputs(source, spec)


async def test_a_reference_that_is_always_too_slow_fails_after_being_measured_again(
    write, course_dir: Path, runner: Runner
) -> None:
    write("sluggish", solution_body="while True:\n        pass")  # never finishes: not noise
    write("fine")
    course = load_curriculum(course_dir)
    counting = CountingRunner(runner)
    report = await check_curriculum(course, counting)  # type: ignore[arg-type]
    text = "\n".join(report.failures)
    assert "sluggish: " in text and "fine:" not in text
    looping = [s for s in counting.judged if "while True" in s]
    assert len(looping) == 1 + TIMING_RETRIES  # measured again, alone, and still refused
