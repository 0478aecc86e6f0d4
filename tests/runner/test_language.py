"""The language of tests: expected exceptions, keyword arguments, values that are not literals,
container kinds, objects through steps, several functions, printed output, unchanged inputs,
generators and big inputs — each judged in the real sandbox."""

from __future__ import annotations

import pytest

from runner import CompareOptions, JudgeSpec, Kind, Runner, Status
from runner import TestCase as Case
from runner.spec import Step
from runner.values import encode


def spec(
    *tests: Case, kind: Kind = Kind.FUNCTION, entry: str = "f", **compare: object
) -> JudgeSpec:
    return JudgeSpec(
        kind=kind, entry_point=entry, tests=list(tests), compare=CompareOptions(**compare)
    )  # type: ignore[arg-type]


PARSE_AGE = spec(
    Case(args="'42'", expected="42"),
    Case(args="'-5'", raises="ValueError", match="negative"),
    Case(args="'abc'", raises="ValueError"),
)


@pytest.mark.parametrize(
    ("source", "status", "message"),
    [
        (
            "def f(text):\n    n = int(text)\n    if n < 0:\n        raise ValueError('age is negative')\n"
            "    return n\n",
            Status.ACCEPTED,
            None,
        ),
        # a subclass of the expected exception counts
        (
            "class AgeError(ValueError):\n    pass\n"
            "def f(text):\n    n = int(text)\n    if n < 0:\n        raise AgeError('negative age')\n"
            "    return n\n",
            Status.ACCEPTED,
            None,
        ),
        (
            "def f(text):\n    return int(text)\n",
            Status.WRONG_ANSWER,
            "expected ValueError, but it returned -5",
        ),
        (
            "def f(text):\n    n = int(text)\n    if n < 0:\n        raise TypeError('negative')\n"
            "    return n\n",
            Status.WRONG_ANSWER,
            "raised TypeError where it should have raised ValueError",
        ),
        (
            "def f(text):\n    n = int(text)\n    if n < 0:\n        raise ValueError('below zero')\n"
            "    return n\n",
            Status.WRONG_ANSWER,
            "should mention 'negative'",
        ),
        # an exception whose __str__ raises: judged, not a crash
        (
            "class Bad(ValueError):\n    def __str__(self):\n        raise RuntimeError('no')\n"
            "def f(text):\n    n = int(text)\n    if n < 0:\n        raise Bad()\n    return n\n",
            Status.WRONG_ANSWER,
            "should mention 'negative'",
        ),
    ],
    ids=["raises", "subclass", "returned", "other-type", "message", "hostile-str"],
)
async def test_expected_exceptions(
    runner: Runner, source: str, status: Status, message: str | None
) -> None:
    verdict = await runner.judge(source, PARSE_AGE)
    assert verdict.status is status, verdict.summary
    if message:
        assert verdict.failed and verdict.failed.message and message in verdict.failed.message


EXACTLY = spec(
    Case(args="'42'", expected="42"),
    Case(args="'-5'", raises="ValueError", message="age is negative", exact_type=True),
)
RAISE_AGE = "def f(text):\n    n = int(text)\n    if n < 0:\n        raise {}\n    return n\n"


@pytest.mark.parametrize(
    ("raised", "status", "message"),
    [
        ("ValueError('age is negative')", Status.ACCEPTED, None),
        ("AgeError('age is negative')", Status.WRONG_ANSWER, "should raise ValueError itself"),
        (
            "ValueError('Age is negative')",
            Status.WRONG_ANSWER,
            "should be exactly 'age is negative'",
        ),
        ("ValueError('age is negative!')", Status.WRONG_ANSWER, "should be exactly"),
        ("ValueError('age', 'is negative')", Status.WRONG_ANSWER, "should be exactly"),
        ("TypeError('age is negative')", Status.WRONG_ANSWER, "should have raised ValueError"),
    ],
    ids=["exact", "subclass", "case", "longer", "two-args", "other-type"],
)
async def test_an_exact_exception_and_message(
    runner: Runner, raised: str, status: Status, message: str | None
) -> None:
    source = "class AgeError(ValueError):\n    pass\n" + RAISE_AGE.format(raised)
    verdict = await runner.judge(source, EXACTLY)
    assert verdict.status is status, verdict.summary
    if message:
        assert verdict.failed and message in (verdict.failed.message or ""), verdict.failed


async def test_a_step_may_expect_an_exact_message(runner: Runner) -> None:
    problem = spec(
        Case(
            steps=[
                Step(expr="f('-5')", raises="ValueError", message="age is negative"),
                Step(expr="f('7')", expected="7"),
            ]
        )
    )
    right = RAISE_AGE.format("ValueError('age is negative')")
    assert (await runner.judge(right, problem)).accepted
    wrong = await runner.judge(RAISE_AGE.format("ValueError('negative')"), problem)
    assert wrong.status is Status.WRONG_ANSWER
    assert wrong.failed and "exactly 'age is negative'" in (wrong.failed.message or "")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"message": "x"}, "`message` needs `raises`"),
        ({"exact_type": True}, "`exact_type` needs `raises`"),
        ({"raises": "ValueError", "match": "x", "message": "x"}, "not both"),
        ({"raises": "ValueError", "message": "x" * 201}, "longer than 200"),
    ],
)
def test_exception_qualifiers_are_checked_when_written(
    fields: dict[str, object], error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        Case(args="1", **fields)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=error):
        Step(expr="f(1)", **fields)  # type: ignore[arg-type]


async def test_a_runtime_error_where_a_value_was_expected_says_so(runner: Runner) -> None:
    verdict = await runner.judge("def f(text):\n    return int(text) // 0\n", PARSE_AGE)
    assert verdict.status is Status.RUNTIME_ERROR
    assert verdict.failed and "should have returned 42" in (verdict.failed.message or "")


async def test_keyword_arguments(runner: Runner) -> None:
    problem = spec(
        Case(args="[3, 1, 2], reverse=True", expected="[3, 2, 1]"),
        Case(args="[3, 1, 2]", expected="[1, 2, 3]"),
        entry="order",
    )
    good = "def order(items, *, reverse=False):\n    return sorted(items, reverse=reverse)\n"
    assert (await runner.judge(good, problem)).accepted
    positional = "def order(items, reverse):\n    return sorted(items, reverse=reverse)\n"
    assert (await runner.judge(positional, problem)).status is Status.RUNTIME_ERROR


@pytest.mark.parametrize(
    ("body", "expected", "accepted"),
    [
        (
            "from collections import Counter\n    return Counter(x.split())",
            "{'a': 2, 'b': 1}",
            True,
        ),
        (
            "from collections import defaultdict\n    d = defaultdict(int)\n"
            "    for w in x.split():\n        d[w] += 1\n    return d",
            "{'a': 2, 'b': 1}",
            True,
        ),
        (
            "from collections import OrderedDict\n    return OrderedDict(b=1, a=2)",
            "{'a': 2, 'b': 1}",
            True,
        ),
        ("return frozenset(x.split())", "{'a', 'b'}", True),
        ("from fractions import Fraction\n    return Fraction(1, 2)", "0.5", True),
        ("from decimal import Decimal\n    return Decimal('0.5')", "0.5", True),
        ("return complex(1, 2)", "(1+2j)", True),
        ("return 2.0", "2", True),
        ("return True", "1", False),
        ("return tuple(x.split())", "['a', 'b', 'a']", False),
    ],
    ids=[
        "counter",
        "defaultdict",
        "ordereddict",
        "frozenset",
        "fraction",
        "decimal",
        "complex",
        "int-float",
        "bool-int",
        "tuple-list",
    ],
)
async def test_values_that_are_not_literals(
    runner: Runner, body: str, expected: str, accepted: bool
) -> None:
    verdict = await runner.judge(
        f"def f(x):\n    {body}\n", spec(Case(args="'a b a'", expected=expected))
    )
    assert verdict.accepted is accepted, verdict.summary


async def test_container_kinds_are_strict_and_explained_unless_relaxed(runner: Runner) -> None:
    source = "def f(x):\n    return (x, x)\n"
    strict = await runner.judge(source, spec(Case(args="1", expected="[1, 1]")))
    assert strict.status is Status.WRONG_ANSWER
    assert strict.failed and strict.failed.message == "expected a list, got a tuple"
    assert "expected a list, got a tuple" in strict.summary
    loose = await runner.judge(
        source, spec(Case(args="1", expected="[1, 1]"), strict_containers=False)
    )
    assert loose.accepted


VECTOR = """
class Vector:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def scaled(self, k):
        return Vector(self.x * k, self.y * k)

    def move(self, dx):
        self.x += dx
        return self

    @property
    def length_squared(self):
        return self.x ** 2 + self.y ** 2

    def __repr__(self):
        return f"Vector({self.x}, {self.y})"
"""

VECTOR_SPEC = spec(
    Case(
        steps=[
            Step(expr="a = Vector(1, 2)"),
            Step(expr="b = Vector(3, 4)"),
            Step(expr="(a + b).x", expected="4"),  # an operator, an object built earlier
            Step(expr="a.scaled(3).scaled(2).y", expected="12"),  # methods on returned objects
            Step(expr="a.move(5)"),  # result ignored (returns self)
            Step(expr="a.x", expected="6"),  # an attribute
            Step(expr="b.length_squared", expected="25"),  # a property
            Step(expr="repr(b)", expected="'Vector(3, 4)'"),
        ]
    ),
    Case(calls='[["Vector", 0, 0], ["move", 2], ["scaled", 2]]', expected="[None, None, None]"),
    kind=Kind.CLASS,
    entry="Vector",
)


async def test_objects_through_steps(runner: Runner) -> None:
    assert (await runner.judge(VECTOR, VECTOR_SPEC)).accepted
    broken = VECTOR.replace("return self.x ** 2 + self.y ** 2", "return self.x + self.y")
    verdict = await runner.judge(broken, VECTOR_SPEC)
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.failed and verdict.failed.got == "7" and verdict.failed.expected == "25"
    assert verdict.failed.input and "b.length_squared" in verdict.failed.input


async def test_several_functions_and_a_round_trip(runner: Runner) -> None:
    problem = spec(
        Case(
            steps=[
                Step(expr="decode(encode('hello world'))", expected="'hello world'"),
                Step(expr="encode('aaab')", expected="'3a1b'"),
            ]
        ),
        entry="encode",
    )
    source = (
        "from itertools import groupby\n"
        "def encode(s):\n    return ''.join(f'{len(list(g))}{c}' for c, g in groupby(s))\n"
        "def decode(s):\n    import re\n"
        "    return ''.join(c * int(n) for n, c in re.findall(r'(\\d+)(\\D)', s))\n"
    )
    assert (await runner.judge(source, problem)).accepted
    no_decode = source.split("def decode")[0]
    verdict = await runner.judge(no_decode, problem)
    assert verdict.status is Status.RUNTIME_ERROR and "decode" in verdict.summary


async def test_printed_output_and_return_value_together(runner: Runner) -> None:
    problem = spec(Case(args="3", expected="None", prints="3 apples\n"))
    assert (await runner.judge("def f(n):\n    print(n, 'apples')\n", problem)).accepted
    verdict = await runner.judge("def f(n):\n    print(n, 'pears')\n", problem)
    assert verdict.status is Status.WRONG_ANSWER and verdict.failed
    assert verdict.failed.got == "3 pears\n" and verdict.failed.expected == "3 apples\n"
    returns = await runner.judge("def f(n):\n    return f'{n} apples'\n", problem)
    assert returns.status is Status.WRONG_ANSWER


async def test_inputs_must_stay_unchanged_when_asked(runner: Runner) -> None:
    problem = spec(
        Case(args="[3, 1, 2]", expected="[1, 2, 3]"),
        Case(args="[1, None]", raises="TypeError"),  # nothing comes back to compare: no check
        inputs_unchanged=True,
    )
    assert (await runner.judge("def f(xs):\n    return sorted(xs)\n", problem)).accepted
    verdict = await runner.judge("def f(xs):\n    xs.sort()\n    return xs\n", problem)
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.failed and "changed the arguments" in (verdict.failed.message or "")


async def test_generators_are_tested_as_generators(runner: Runner) -> None:
    problem = spec(
        Case(
            steps=[
                Step(expr="is_generator(evens())", expected="True"),
                Step(expr="take(evens(), 4)", expected="[0, 2, 4, 6]"),
            ]
        ),
        entry="evens",
    )
    lazy = "def evens():\n    n = 0\n    while True:\n        yield n\n        n += 2\n"
    assert (await runner.judge(lazy, problem)).accepted
    eager = "def evens():\n    return [0, 2, 4, 6]\n"
    assert (await runner.judge(eager, problem)).status is Status.WRONG_ANSWER


async def test_hostile_eq_and_objects_never_crash_the_judge(runner: Runner) -> None:
    source = (
        "class Sneaky:\n    def __eq__(self, other):\n        return True\n"
        "    def __repr__(self):\n        return '[1, 2]'\n"
        "def f(x):\n    return Sneaky()\n"
    )
    verdict = await runner.judge(source, spec(Case(args="1", expected="[1, 2]")))
    assert verdict.status is Status.WRONG_ANSWER  # equality is decided on the host
    assert verdict.failed and verdict.failed.message == "expected a list, got a Sneaky object"


async def test_a_million_int_input_judges_under_the_default_memory(runner: Runner) -> None:
    numbers = list(range(1_000_000))
    problem = JudgeSpec(
        kind=Kind.FUNCTION,
        entry_point="total",
        test_seconds=5,
        tests=[Case(data=encode([[numbers], {}]), expected=str(sum(numbers)))],
    )
    verdict = await runner.judge("def total(nums):\n    return sum(nums)\n", problem)
    assert verdict.accepted, verdict.summary
    assert runner.limits.memory_mib == 128


async def test_the_judge_speaks_current_python(runner: Runner) -> None:
    """3.12 syntax (a generic function, a type alias) judged by the default 3.13 sandbox, even
    though the host's own Python may be older; 3.11 stays available for /run."""
    source = (
        "type Pair = tuple[int, int]\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n"
    )
    verdict = await runner.judge(source, spec(Case(args="[3, 4]", expected="3"), entry="first"))
    assert verdict.accepted, verdict.summary
    assert verdict.python_version and verdict.python_version.startswith("3.13")
    old = await runner.run(source, python="3.11")
    assert old.status.value == "error" and "SyntaxError" in old.stderr
    assert old.python_version and old.python_version.startswith("3.11")
    broken = await runner.judge(
        "def first(items)\n    return items[0]\n",
        spec(Case(args="[3, 4]", expected="3"), entry="first"),
    )
    assert broken.status is Status.SYNTAX_ERROR and broken.error and broken.error.line == 1
