"""`pydojo curriculum check` logic against the real sandbox, on a small course with faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from curriculum import VariantCache, load_curriculum, materialise
from curriculum.check import check_curriculum
from runner import Runner, RunnerConfig, Status

from .test_variants_and_selection import template_course

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
async def runner(sandbox: None) -> AsyncIterator[Runner]:
    async with Runner(RunnerConfig(pool_size=2, max_concurrency=2)) as shared:
        yield shared


async def test_expected_values_of_generated_cases_come_from_the_reference(
        write, course_dir: Path, runner: Runner) -> None:
    problem = template_course(write, course_dir)
    variant = await materialise(problem, 3, runner)
    n = variant.params["step"]["n"]
    last = variant.spec.tests[-1]
    a, b = (int(x) for x in last.args.split(", "))
    assert int(last.expected) == a + b + n
    assert variant.spec.tests[0].expected == str(2 + 3 + n)  # examples recomputed too
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
    not_slow.write_text(not_slow.read_text().replace(
        "hints =", 'slow_solution = """\ndef add(a, b):\n    return a + b\n"""\nhints =', 1))
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
