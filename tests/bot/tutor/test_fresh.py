"""Model-written problems: proposed through the real google-genai client (fake server), proved
in the real sandbox, stored, reused and practised."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AiUsage, GeneratedProblem
from bot.services.catalog import ProblemRef
from bot.services.practice import Where
from bot.services.tutor import prompts
from curriculum import Curriculum, Difficulty, load_curriculum
from tests.course_factory import write_problem
from tests.gemini_server import FakeGemini

from .conftest import Opener

pytestmark = pytest.mark.docker


def draft(
    name: str = "mul",
    body: str = "return a * b",
    *,
    title: str = "Multiply two numbers",
    cases: list[tuple[str, str]] | None = None,
    wrong: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    cases = cases or [
        ("2, 3", "6"),
        ("0, 5", "0"),
        ("-2, 4", "-8"),
        ("7, 1", "7"),
        ("-3, -3", "9"),
        ("10, 10", "100"),
        ("1, 0", "0"),
    ]
    if wrong is None:
        wrong = [("adds instead of multiplying", f"def {name}(a, b):\n    return a + b\n")]
    value = {
        "title": title,
        "statement": f"Write `{name}(a, b)` that returns the product of the two integers a and "
        "b. Both may be negative or zero.",
        "entry_point": name,
        "starter": f"def {name}(a, b):\n    pass\n",
        "solution": f"def {name}(a, b):\n    {body}\n",
        "wrong_solutions": [{"note": n, "code": c} for n, c in wrong],
        "explanation": "Multiplication is one operator in Python; constant time.",
        "hints": [
            "Which arithmetic operation turns 2 and 3 into 6?",
            "Python has an operator for it, like the one for sums.",
            "Give back the result of that operation on both numbers.",
        ],
        "tags": ["arithmetic"],
        "examples": [{"args": a, "expected": e} for a, e in cases[:2]],
        "tests": [{"args": a, "expected": e, "note": ""} for a, e in cases[2:]],
    }
    return {**value, **extra}


@pytest.fixture
def small_course(tmp_path: Path) -> Curriculum:
    """A course of its own (each test's generated problems are added to it)."""
    root = tmp_path / "course"
    for pid in ("a-basics-b0", "a-basics-b1"):
        write_problem(root, pid)
    write_problem(root, "a-other-b0", subtopic="other", problem_type="misc")
    return load_curriculum(root)


async def test_a_proved_problem_is_accepted_stored_and_practised(
    open_services: Opener, gemini: FakeGemini, small_course: Curriculum, tmp_path: Path
) -> None:
    services = await open_services(gemini, curriculum=small_course)
    services.fresh.rng = random.Random(1)
    gemini.reply_json(draft(), prompt_tokens=2000, output_tokens=900)
    (proposal,) = await services.fresh.generate("alpha", 1, Difficulty.BEGINNER)
    assert proposal.accepted, proposal.reasons
    problem = proposal.problem
    assert problem is not None and problem.id.startswith("alpha-fresh-")
    assert (problem.module, problem.difficulty) == ("alpha", Difficulty.BEGINNER)
    assert small_course.get(problem.id) is problem and problem.id not in small_course.problems

    (sent,) = gemini.received
    assert sent.system == prompts.VARIANT.system
    assert "Problem " in sent.text and '"entry_point": "add"' in sent.text  # the example
    assert set(sent.generation["responseSchema"]["required"]) >= {"tests", "solution", "hints"}
    async with services.db.read() as session:
        (row,) = await session.scalars(select(GeneratedProblem))
        usage = (await session.scalars(select(AiUsage))).one()
    assert row.id == problem.id and row.prompt_version == prompts.VARIANT.version
    assert (usage.feature, usage.user_id, usage.prompt_tokens) == ("variant", None, 2000)

    # a learner asks for something fresh: it is theirs to practise like any problem
    taken = await services.fresh.take(31, "alpha", Difficulty.BEGINNER)
    assert taken is problem
    offered = await services.practice.offer(31, Where("dm"), problem=taken.id)
    judged = await services.practice.submit(
        31, "def mul(a, b):\n    return a * b\n", ProblemRef(taken.id), Where("dm")
    )
    assert offered.problem is problem and judged.verdict.accepted
    assert await services.fresh.take(31, "alpha", Difficulty.BEGINNER) is None  # seen it
    await services.close()  # with a top-up still running: it must leave no lock behind

    # after a restart it is loaded from the database, into a freshly read course
    again = await open_services(gemini, curriculum=load_curriculum(tmp_path / "course"))
    assert again.curriculum.get(problem.id) == problem
    assert (await again.fresh.take(32, "alpha")) == problem


@pytest.mark.parametrize(
    ("proposed", "reason"),
    [
        (
            draft(
                cases=[
                    ("2, 3", "5"),
                    ("0, 5", "0"),
                    ("-2, 4", "-8"),
                    ("7, 1", "7"),
                    ("-3, -3", "9"),
                    ("10, 10", "100"),
                    ("1, 0", "0"),
                ]
            ),
            "reference solution not accepted",
        ),
        (
            draft(wrong=[("swaps the operands", "def mul(a, b):\n    return b * a\n")]),
            "the wrong solution (swaps the operands) is accepted, so the tests prove nothing",
        ),
        (draft(wrong=[]), "no plausible wrong answer"),
        (
            draft(starter="def mul(a, b):\n    return a * b\n"),
            "the starter code is accepted, so the tests prove nothing",
        ),
        (
            draft(
                hints=["Just write `return a * b`.", "Python has an operator for it.", "Use it."]
            ),
            "hint 1 gives the answer away",
        ),
        (
            draft(
                name="plus",
                body="return a + b",
                title="Sum of a pair",
                cases=[
                    ("1, 2", "3"),
                    ("0, 0", "0"),
                    ("-1, -1", "-2"),
                    ("5, 5", "10"),
                    ("9, -9", "0"),
                    ("100, 1", "101"),
                    ("-5, 2", "-3"),
                ],
                wrong=[("subtracts", "def plus(a, b):\n    return a - b\n")],
            ),
            "in behaviour: its reference passes",
        ),
        (draft(title="Problem a-basics-b1"), "a duplicate of a-basics-b1 (the same title)"),
        (draft(hints=["one", "two"]), "does not fit the course's schema (hints"),
    ],
)
async def test_a_proposal_that_fails_the_proof_is_rejected(
    open_services: Opener,
    gemini: FakeGemini,
    small_course: Curriculum,
    proposed: dict[str, Any],
    reason: str,
) -> None:
    services = await open_services(gemini, curriculum=small_course)
    gemini.reply_json(proposed)
    (proposal,) = await services.fresh.generate("alpha", 1, Difficulty.BEGINNER, attempts=1)
    assert not proposal.accepted
    assert any(reason in r for r in proposal.reasons), proposal.reasons
    assert small_course.generated == {}
    async with services.db.read() as session:
        assert list(await session.scalars(select(GeneratedProblem))) == []
    assert await services.fresh.take(1, "alpha") is None


async def test_truncated_output_is_a_rejection_and_the_next_try_may_succeed(
    open_services: Opener, gemini: FakeGemini, small_course: Curriculum
) -> None:
    services = await open_services(gemini, curriculum=small_course)
    gemini.truncated('{"title": "Multiply two num')
    gemini.reply_json(draft())
    proposals = await services.fresh.generate("alpha", 1, Difficulty.BEGINNER, attempts=3)
    assert [p.accepted for p in proposals] == [False, True]
    assert "no usable answer (truncated)" in proposals[0].reasons[0]


async def test_generation_stops_at_its_share_of_the_daily_tokens(
    open_services: Opener, gemini: FakeGemini, small_course: Curriculum
) -> None:
    services = await open_services(
        gemini, curriculum=small_course, daily_tokens=10_000, generation_share=0.2
    )
    gemini.reply_json(draft(wrong=[]), prompt_tokens=1500, output_tokens=600)
    proposals = await services.fresh.generate("alpha", 2, Difficulty.BEGINNER, attempts=3)
    assert len(gemini.received) == 1
    assert proposals[-1].reasons == ["today's generation budget is spent"]


async def test_taking_the_last_fresh_problem_tops_up_the_stock_in_the_background(
    open_services: Opener, gemini: FakeGemini, small_course: Curriculum
) -> None:
    services = await open_services(gemini, curriculum=small_course, fresh_stock=1)
    assert await services.fresh.take(5, "alpha", Difficulty.BEGINNER) is None  # none yet
    task = services.fresh._topping[("alpha", "beginner")]
    gemini.reply_json(draft())
    gemini.reply_json(
        draft(
            name="triple",
            body="return 3 * a * b",
            title="Triple product",
            cases=[
                ("2, 3", "18"),
                ("0, 5", "0"),
                ("-2, 4", "-24"),
                ("7, 1", "21"),
                ("-3, -3", "27"),
                ("10, 10", "300"),
                ("1, 1", "3"),
            ],
            wrong=[("forgets the 3", "def triple(a, b):\n    return a * b\n")],
            hints=[
                "Three times something: what is the something?",
                "First the product, then scale it.",
                "Combine both steps in what you give back.",
            ],
        )
    )
    await task  # the learner did not wait for this; the test does, to see its result
    assert len(small_course.generated) == 2
    assert await services.fresh.take(5, "alpha", Difficulty.BEGINNER) is not None


async def test_a_serving_bot_fills_each_levels_stock_ahead_of_demand(
    open_services: Opener, gemini: FakeGemini, small_course: Curriculum
) -> None:
    services = await open_services(gemini, curriculum=small_course, fresh_stock=1)
    gemini.reply_json(draft())
    await services.fresh.prime()
    started = dict(services.fresh._topping)
    assert set(started) == {("", level.value) for level in Difficulty}  # every level, at once
    await asyncio.gather(*started.values())  # one draft scripted: one level gets it
    stocked = await services.fresh.stock()
    assert sum(stocked.values()) == 1
    services.fresh._topping.clear()
    await services.fresh.prime()  # a stocked level is not asked for again
    for level in Difficulty:
        assert (("", level.value) in services.fresh._topping) == (stocked[level.value] < 1)


async def test_without_a_key_nothing_is_generated_at_start(
    open_services: Opener, small_course: Curriculum
) -> None:
    services = await open_services(None, curriculum=small_course, fresh_stock=1)
    await services.fresh.prime()
    assert services.fresh._topping == {}
