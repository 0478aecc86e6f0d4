"""Cases found by converting a public exercise suite into pydojo problems: reference solutions
that were wrongly refused and mistakes that got through, each judged in the real sandbox."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from runner import CompareOptions, JudgeSpec, Kind, Runner, Status
from runner import TestCase as Case
from runner.compare import mismatch
from runner.spec import Step


def steps_spec(*steps: Step | str, entry: str = "f", kind: Kind = Kind.FUNCTION) -> JudgeSpec:
    parsed = [s if isinstance(s, Step) else Step(expr=s) for s in steps]
    return JudgeSpec(kind=kind, entry_point=entry, tests=[Case(steps=parsed)])


async def test_a_dataclass_with_postponed_annotations_loads(runner: Runner) -> None:
    """``dataclasses`` looks the class's module up in ``sys.modules`` when annotations are
    strings; pickling finds classes the same way."""
    source = (
        "from __future__ import annotations\nimport dataclasses\nimport pickle\n\n"
        "@dataclasses.dataclass\nclass Node:\n    value: int\n"
        "    children: list[Node] = dataclasses.field(default_factory=list)\n\n"
        "def f(n):\n    return pickle.loads(pickle.dumps(Node(n))).value\n"
    )
    problem = steps_spec(
        Step(expr="f(3)", expected="3"), Step(expr="Node(1) == Node(1)", expected="True")
    )
    verdict = await runner.judge(source, problem)
    assert verdict.accepted, verdict.summary


RATIONAL = (
    "class Rational:\n    def __init__(self, n, d):\n        self.n, self.d = n, d\n"
    "    def __add__(self, other):\n"
    "        return Rational(self.n * other.d + other.n * self.d, self.d * other.d)\n"
    "    def __eq__(self, other):\n        return self.n * other.d == other.n * self.d\n"
    "    def __repr__(self):\n        return f'{self.n}/{self.d}'\n"
)
ADDS_HALVES = steps_spec(
    "a = Rational(1, 2)",
    Step(expr="a + Rational(1, 4)", equals="Rational(3, 4)"),
    entry="Rational",
    kind=Kind.CLASS,
)


async def test_equals_compares_objects_of_the_solution_by_their_eq(runner: Runner) -> None:
    verdict = await runner.judge(RATIONAL, ADDS_HALVES)
    assert verdict.accepted, verdict.summary


async def test_equals_says_what_both_sides_were(runner: Runner) -> None:
    wrong = RATIONAL.replace("self.d * other.d)", "self.d + other.d)")
    verdict = await runner.judge(wrong, ADDS_HALVES)
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.failed and verdict.failed.message == (
        "got 6/6, which is not == Rational(3, 4) (3/4)"
    )
    assert verdict.failed.expected == "Rational(3, 4) (that is 3/4)"


async def test_equals_without_eq_is_a_wrong_answer_not_a_crash(runner: Runner) -> None:
    no_eq = RATIONAL.replace("    def __eq__(self, other):\n", "    def _eq(self, other):\n")
    verdict = await runner.judge(no_eq, ADDS_HALVES)
    assert verdict.status is Status.WRONG_ANSWER, verdict.summary
    assert verdict.failed and "which is not ==" in (verdict.failed.message or "")


def test_a_step_checks_one_thing_and_equals_must_be_an_expression() -> None:
    with pytest.raises(ValidationError, match="one of"):
        Step(expr="a", expected="1", equals="b")
    with pytest.raises(ValidationError, match="not an expression"):
        Step(expr="a", equals="b = 1")


TRIPLETS = steps_spec(
    Step(expr="triplets(12)", expected="[[3, 4, 5]]"),
    Step(expr="triplets(60)", expected="[[10, 24, 26], [15, 20, 25]]", unordered=True),
    entry="triplets",
)


@pytest.mark.parametrize(
    ("result", "status"),
    [
        ("found", Status.ACCEPTED),
        ("found[::-1]", Status.ACCEPTED),  # any order, in the step that allows it
        ("[tuple(t) for t in found]", Status.WRONG_ANSWER),  # still lists of lists
        ("found[:1]", Status.WRONG_ANSWER),
    ],
)
async def test_a_step_may_accept_any_order(runner: Runner, result: str, status: Status) -> None:
    source = (
        "def triplets(n):\n    found = [[a, b, n - a - b] for a in range(1, n) for b in range(a, n)"
        " if b < n - a - b and a * a + b * b == (n - a - b) ** 2]\n"
        f"    return {result} if n == 60 else found\n"
    )
    verdict = await runner.judge(source, TRIPLETS)
    assert verdict.status is status, verdict.summary


async def test_order_still_counts_in_the_other_steps(runner: Runner) -> None:
    problem = steps_spec(
        Step(expr="f()", expected="[1, 2]", unordered=True), Step(expr="f()", expected="[1, 2]")
    )
    verdict = await runner.judge("def f():\n    return [2, 1]\n", problem)
    assert verdict.status is Status.WRONG_ANSWER and verdict.failed
    assert verdict.failed.number == 1 and "f()" in (verdict.failed.input or "")


def test_unordered_and_tolerance_need_an_expected_value() -> None:
    with pytest.raises(ValidationError, match="`unordered` needs `expected`"):
        Step(expr="f()", raises="ValueError", unordered=True)
    with pytest.raises(ValidationError, match="`tolerance` needs `expected`"):
        Step(expr="f()", equals="1.0", tolerance=0.1)


@pytest.mark.parametrize(
    ("area", "status"),
    [
        ("3.14159", Status.ACCEPTED),
        ("3.15", Status.ACCEPTED),  # within the step's 0.01
        ("3.2", Status.WRONG_ANSWER),
    ],
)
async def test_a_step_may_set_its_own_tolerance(runner: Runner, area: str, status: Status) -> None:
    """An estimate within its step's tolerance; the exact step beside it stays exact."""
    problem = steps_spec(
        Step(expr="estimate_pi()", expected="3.14159", tolerance=0.01),
        Step(expr="square(1.5)", expected="2.25"),
        entry="square",
    )
    source = f"def estimate_pi():\n    return {area}\n\ndef square(x):\n    return x * x\n"
    verdict = await runner.judge(source, problem)
    assert verdict.status is status, verdict.summary
    close = "def estimate_pi():\n    return 3.14159\n\ndef square(x):\n    return 2.26\n"
    assert (await runner.judge(close, problem)).status is Status.WRONG_ANSWER


def test_strict_numbers_tells_an_int_from_a_float() -> None:
    strict = CompareOptions(strict_numbers=True)
    assert mismatch(225, 225.0, strict) == "expected an int, got a float"
    assert mismatch([1, 2], [1, 2.0], strict) == "expected an int at [1], got a float"
    assert mismatch(2.5, 2.5, strict) is None
    assert mismatch(225, 225.0, CompareOptions()) is None  # by value unless asked
    unordered = CompareOptions(strict_numbers=True, unordered=True)
    assert mismatch([1, 2], [2.0, 1], unordered) == ""
    assert mismatch([1, 2], [2, 1], unordered) is None
    tolerant = CompareOptions(strict_numbers=True, unordered=True, float_tolerance=1e-6)
    assert mismatch([1, 2], [2.0, 1], tolerant) == ""


async def test_strict_numbers_rejects_true_division_where_an_int_is_promised(
    runner: Runner,
) -> None:
    problem = JudgeSpec(
        kind=Kind.FUNCTION,
        entry_point="square_of_sum",
        tests=[Case(args="10", expected="3025")],
        compare=CompareOptions(strict_numbers=True),
    )
    floor = "def square_of_sum(n):\n    return (n * (n + 1) // 2) ** 2\n"
    assert (await runner.judge(floor, problem)).accepted
    verdict = await runner.judge(floor.replace("//", "/"), problem)
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.failed and verdict.failed.message == "expected an int, got a float"


async def test_a_failed_step_among_several_is_named(runner: Runner) -> None:
    problem = steps_spec(
        Step(expr="f(1)", expected="1"),
        "x = 5",
        Step(expr="f(2)", expected="2"),
        Step(expr="f(3)", expected="3"),
    )
    verdict = await runner.judge("def f(n):\n    return 9 if n == 2 else n\n", problem)
    assert verdict.summary == "Wrong answer on test 1: f(2) gave 9, expected 2."
    typed = await runner.judge("def f(n):\n    return (n,) if n == 3 else n\n", problem)
    assert typed.failed and typed.failed.message == "f(3): expected a number, got a tuple"


async def test_a_hidden_test_names_no_step(runner: Runner) -> None:
    steps = [Step(expr="f(1)", expected="1"), Step(expr="f(2)", expected="2")]
    problem = JudgeSpec(kind=Kind.FUNCTION, entry_point="f", tests=[Case(steps=steps, hidden=True)])
    verdict = await runner.judge("def f(n):\n    return (n,) if n == 2 else n\n", problem)
    assert verdict.failed and verdict.failed.message == "expected a number, got a tuple"
