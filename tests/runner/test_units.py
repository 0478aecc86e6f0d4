"""Host-side pieces that need no container: comparison, values, diagnostics, protocol, specs."""

from __future__ import annotations

import json
from collections import Counter, OrderedDict, defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from runner import CompareOptions, JudgeSpec, Kind, TestCase
from runner.compare import mismatch, normalise_stdout
from runner.diagnostics import runtime_error, syntax_error
from runner.protocol import MARK, EventReader, Hello, Result
from runner.sandbox import encoding as sandbox_encoding
from runner.spec import Step, parse_call
from runner.values import Opaque, Unreadable, decode, encode
from runner.verdict import ErrorDetail, Status, TestOutcome, Verdict

EXACT = CompareOptions()
LOOSE = CompareOptions(strict_containers=False)


def worker_value(value: object) -> object:
    """A value as the learner's process sends it, read back as the host reads it."""
    return decode(sandbox_encoding.encode(value))


@pytest.mark.parametrize(
    ("expected", "got", "options", "equal"),
    [
        ([1, 2], (1, 2), EXACT, False),
        ([1, 2], (1, 2), LOOSE, True),
        (True, 1, EXACT, False),
        (1, True, EXACT, False),
        (3, 3.0, EXACT, True),
        (0.5, Fraction(1, 2), EXACT, True),
        (0.5, Decimal("0.5"), EXACT, True),
        (1 + 2j, complex(1, 2), EXACT, True),
        (0.1 + 0.2, 0.3, EXACT, False),
        (0.1 + 0.2, 0.3, CompareOptions(float_tolerance=1e-9), True),
        (10**400, 10**400 + 1, CompareOptions(float_tolerance=1e-9), False),
        ([[1.0, 2.0]], [[1.0000001, 2.0]], CompareOptions(float_tolerance=1e-6), True),
        ({"a": [1]}, {"a": (1,)}, EXACT, False),
        ({"a": 1}, {"a": 1, "b": 2}, EXACT, False),
        ([1, 2, 2], [2, 1, 2], CompareOptions(unordered=True), True),
        ([1, 2, 2], [2, 1, 1], CompareOptions(unordered=True), False),
        ([[1, 2], [3]], [[3], [1, 2]], CompareOptions(unordered=True), True),
        ({1, 2}, {2, 1}, EXACT, True),
        ({1, 2}, frozenset({1, 2}), EXACT, True),
        ("1", 1, EXACT, False),
        (None, None, EXACT, True),
        (None, 0, EXACT, False),
        (float("nan"), float("nan"), EXACT, True),
    ],
)
def test_mismatch(expected, got, options, equal) -> None:
    assert (mismatch(expected, got, options) is None) is equal


@pytest.mark.parametrize(
    "value",
    [Counter({"word": 2}), defaultdict(int, {"a": 1}), OrderedDict([("b", 1), ("a", 2)])],
)
def test_mappings_equal_to_the_expected_dict(value: dict) -> None:
    assert mismatch(dict(value), worker_value(value), EXACT) is None


def test_type_differences_are_explained() -> None:
    assert mismatch([1, 2], worker_value((1, 2)), EXACT) == "expected a list, got a tuple"
    assert mismatch({"a": [1]}, {"a": (1,)}, EXACT) == "expected a list at ['a'], got a tuple"
    assert (
        mismatch([1], worker_value(iter([1])), EXACT)
        == "expected a list, got a list_iterator object"
    )
    assert mismatch(3, "3", EXACT) == "expected a number, got a str"
    assert mismatch(3, 4, EXACT) == ""  # just a different value: the values say it all


def test_round_trip_of_every_supported_kind() -> None:
    values = [
        None,
        True,
        3,
        -2.5,
        "é\u2603",
        [1, [2]],
        (1, (2,)),
        {1: "a", (2, 3): [4]},
        {1, 2},
        frozenset({3}),
        1 + 2j,
        Fraction(3, 4),
        Decimal("1.10"),
        b"\x00\xff",
        float("inf"),
    ]
    for value in values:
        assert mismatch(value, decode(encode(value)), EXACT) is None, value
        assert mismatch(value, worker_value(value), EXACT) is None, value


def test_objects_are_opaque_and_equal_nothing() -> None:
    class Point:
        def __repr__(self) -> str:
            return "Point(1, 2)"

    got = worker_value(Point())
    assert isinstance(got, Opaque) and got.type_name == "Point" and repr(got) == "Point(1, 2)"
    assert mismatch([1, 2], got, EXACT) == "expected a list, got a Point object"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # nesting beyond any parser's stack
        '{"$tuple": 5}',
        '{"$dict": [[[1], 2]]}',  # an unhashable key
        '{"$set": [[1]]}',
        '{"$nope": 1}',
        '{"a": 1}',  # a bare object is no value
        '{"$int": "1' + "0" * 6000 + '"}',
        '{"$fraction": ["1", "0"]}',
        '{"$decimal": 5}',
        "not json",
        '{"$object": ["x"]}',
    ],
)
def test_decoding_hostile_values_is_unreadable_not_a_crash(text: str) -> None:
    with pytest.raises(Unreadable):
        decode(text)


def test_decoding_is_bounded_by_node_count() -> None:
    with pytest.raises(Unreadable):
        decode(json.dumps([[1, 2]] * 1000), max_nodes=100)


def test_stdout_ignores_trailing_whitespace_only() -> None:
    assert normalise_stdout("a  \nb\t\n\n\n") == normalise_stdout("a\nb")
    assert normalise_stdout(" a\nb") != normalise_stdout("a\nb")


def test_syntax_error_points_at_the_line() -> None:
    detail = syntax_error("x = 1\nif x\n    pass\n")
    assert detail is not None and detail.line == 2 and "^" in detail.traceback
    assert syntax_error("x = 1\n") is None
    assert syntax_error("x = 1\x00") is not None


def test_runtime_error_keeps_only_user_frames_and_collapses_recursion() -> None:
    source = "def f(n):\n    return f(n + 1)\n"
    frames = [["<harness>", 10, "call"]] + [["main.py", 2, "f"]] * 30
    detail = runtime_error(
        {
            "type": "RecursionError",
            "message": "maximum recursion depth",
            "exc_only": "RecursionError: maximum recursion depth\n",
            "frames": frames,
        },
        source,
    )
    assert "<harness>" not in detail.traceback and "more frames" in detail.traceback
    assert detail.line == 2 and detail.traceback.count("main.py") < 10


def test_runtime_error_survives_garbage_reports() -> None:
    detail = runtime_error({"frames": [["main.py", "x", 1], "junk", None], "type": 5}, "")
    assert detail.type == "Exception" and detail.line is None
    assert runtime_error({"frames": "nope", "message": ["x"]}, "").message == ""


def _line(event: dict) -> bytes:
    return MARK + json.dumps(event).encode() + b"\n"


def test_event_reader_validates_and_handles_split_chunks() -> None:
    reader = EventReader(max_line=10_000)
    stream = _line({"t": "hello", "python": "3.11.2"}) + _line(
        {"t": "result", "i": 0, "ms": 1.5, "steps": "[]", "stdout": ""}
    )
    events = []
    for i in range(0, len(stream), 3):  # arrives in tiny pieces
        events += reader.feed(stream[i : i + 3])
    assert isinstance(events[0], Hello) and isinstance(events[1], Result)
    assert not reader.garbled


@pytest.mark.parametrize(
    "bad",
    [
        b"noise without a mark\n",
        _line({"t": "result", "i": "0", "ms": 1.0, "steps": "[]"}),  # a string index
        _line({"t": "result", "i": 10**30, "ms": 1.0, "steps": "[]"}),  # gigantic
        _line({"t": "result", "i": -1, "ms": 1.0, "steps": "[]"}),
        _line({"t": "hello", "python": "x" * 100}),
        _line({"t": "whatever"}),
        MARK + b"[" * 50_000 + b"\n",  # deep nesting
        MARK + b'{"t": "hello", "python": "1"' + b" " * 20_000 + b"}\n",  # too long a line
    ],
)
def test_event_reader_turns_anything_unexpected_into_garbled(bad: bytes) -> None:
    reader = EventReader(max_line=10_000)
    assert reader.feed(bad) == [] and reader.garbled


def test_event_reader_bounds_the_number_of_events() -> None:
    reader = EventReader(max_line=1000, max_events=3)
    reader.feed(_line({"t": "hello", "python": "3"}) * 10)
    assert reader.garbled and len(reader.events) <= 3


def test_verdicts_always_serialise() -> None:
    outcome = TestOutcome(number=1, hidden=False, status=Status.WRONG_ANSWER, got="\udc80\x00")
    verdict = Verdict(
        status=Status.RUNTIME_ERROR,
        summary="bad \ud800",
        passed=0,
        total=1,
        tests=[outcome],
        duration_ms=1,
        error=ErrorDetail(type="X", message="\udfff", traceback=""),
    )
    verdict.summary = "assigned \udc00 later"
    text = verdict.model_dump_json()
    assert "\\\\udc80" in text and Verdict.model_validate_json(text).total == 1


def test_call_arguments_with_keywords() -> None:
    assert parse_call("[1, 2], 3, key='x'") == (([1, 2], 3), {"key": "x"})
    assert parse_call("") == ((), {})
    for bad in ("*x", "**y", "__import__('os')", "1)"):
        with pytest.raises((ValueError, SyntaxError)):
            parse_call(bad)


def test_spec_rejects_malformed_tests() -> None:
    with pytest.raises(ValidationError, match="test 1"):
        JudgeSpec(kind=Kind.FUNCTION, entry_point="f", tests=[TestCase(args="[1,", expected="1")])
    with pytest.raises(ValidationError, match="construct"):
        JudgeSpec(
            kind=Kind.CLASS, entry_point="A", tests=[TestCase(calls='[["B"]]', expected="[None]")]
        )
    with pytest.raises(ValidationError, match="entry_point"):
        JudgeSpec(kind=Kind.FUNCTION, tests=[TestCase(args="1", expected="1")])
    with pytest.raises(ValidationError, match=r"not a literal|malformed"):
        JudgeSpec(
            kind=Kind.FUNCTION,
            entry_point="f",
            tests=[TestCase(args="__import__('os')", expected="1")],
        )
    with pytest.raises(ValidationError, match="needs `expected`, `raises`"):
        JudgeSpec(kind=Kind.FUNCTION, entry_point="f", tests=[TestCase(args="1")])
    with pytest.raises(ValidationError, match="not both"):
        TestCase(args="1", expected="1", raises="ValueError")
    with pytest.raises(ValidationError, match="not an expression"):
        Step(expr="x = 1", expected="1")
    with pytest.raises(ValidationError, match="exception class name"):
        Step(expr="f()", raises="Value Error")
    with pytest.raises(ValidationError, match="checked step"):
        JudgeSpec(kind=Kind.CLASS, entry_point="A", tests=[TestCase(steps=["a = A()"])])


@pytest.mark.parametrize(
    "value",
    [
        [["put", [1, 10]], ["get", [1, -1]], ["name", ["a{b}"]]],  # plain JSON, braces in text
        [["add", [(1, 2)]], ["merge", [{"a": [1]}]]],  # tagged nodes: rebuilt
        [[1, 2.5, None, True, "x"], [[["deep"]]]],
        [{1, 2}, frozenset({3}), 10**30],
    ],
)
def test_the_sandbox_reads_host_inputs_back_exactly(value: object) -> None:
    back = sandbox_encoding.decode(encode(value))
    assert back == value
    assert repr(back) == repr(value)  # same kinds all the way down (a tuple stays a tuple)


def test_hash_collisions_are_refused_but_real_values_with_equal_hashes_are_not() -> None:
    colliding = [k * (2**61 - 1) for k in range(1, 2000)]
    with pytest.raises(Unreadable):
        decode(json.dumps({"$set": colliding}))
    with pytest.raises(Unreadable):
        decode(json.dumps({"$dict": [[k, 0] for k in colliding]}))
    unordered = CompareOptions(unordered=True)
    assert mismatch(list(range(1999)), colliding, unordered) == ""
    # -1 and -2 share a hash; repeated items are equal, not clashing
    assert decode(json.dumps({"$set": [-1, -2]})) == {-1, -2}
    assert mismatch([1] * 5000 + [-1, -2], [-2] + [1] * 5000 + [-1], unordered) is None
