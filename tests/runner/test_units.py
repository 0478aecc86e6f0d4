"""Host-side pieces that need no container: comparison, diagnostics, protocol, specs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from runner import CompareOptions, JudgeSpec, Kind, TestCase
from runner.compare import normalise_stdout, values_equal
from runner.diagnostics import runtime_error, syntax_error
from runner.protocol import EventReader

EXACT = CompareOptions()


@pytest.mark.parametrize(
    ("expected", "got", "options", "equal"),
    [
        ([1, 2], (1, 2), EXACT, True),
        (True, 1, EXACT, False),
        (1, True, EXACT, False),
        (3, 3.0, EXACT, True),
        (0.1 + 0.2, 0.3, EXACT, False),
        (0.1 + 0.2, 0.3, CompareOptions(float_tolerance=1e-9), True),
        ([[1.0, 2.0]], [[1.0000001, 2.0]], CompareOptions(float_tolerance=1e-6), True),
        ({"a": [1]}, {"a": (1,)}, EXACT, True),
        ({"a": 1}, {"a": 1, "b": 2}, EXACT, False),
        ([1, 2, 2], [2, 1, 2], CompareOptions(unordered=True), True),
        ([1, 2, 2], [2, 1, 1], CompareOptions(unordered=True), False),
        ([[1, 2], [3]], [[3], [1, 2]], CompareOptions(unordered=True), True),
        ({1, 2}, {2, 1}, EXACT, True),
        ("1", 1, EXACT, False),
        (None, None, EXACT, True),
        (None, 0, EXACT, False),
    ],
)
def test_values_equal(expected, got, options, equal) -> None:
    assert values_equal(expected, got, options) is equal


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
    frames = [["<harness>", 10, "call", "x"]] + [["main.py", 2, "f", "return f(n + 1)"]] * 30
    detail = runtime_error({"type": "RecursionError", "message": "maximum recursion depth",
                            "exc_only": "RecursionError: maximum recursion depth\n",
                            "frames": frames}, source)
    assert "<harness>" not in detail.traceback and "more frames" in detail.traceback
    assert detail.line == 2 and detail.traceback.count("main.py") < 10


def test_runtime_error_survives_garbage_reports() -> None:
    detail = runtime_error({"frames": [["main.py", "x", 1], "junk", None], "type": 5}, "")
    assert detail.type == "5" and detail.line is None


def test_event_reader_ignores_noise_and_split_chunks() -> None:
    reader = EventReader("abc")
    stream = b'noise\x1eabc {"t": "hello"}\nmore\x1eabc {"t": "result", "i": 0}\n\x1eabc {bad}\n'
    events = []
    for i in range(0, len(stream), 3):  # arrives in tiny pieces
        events += reader.feed(stream[i : i + 3])
    assert [e["t"] for e in events] == ["hello", "result"] and reader.garbled
    assert EventReader("zzz").feed(stream) == []  # a different nonce sees nothing


def test_spec_rejects_malformed_tests() -> None:
    with pytest.raises(ValidationError, match="test 1"):
        JudgeSpec(kind=Kind.FUNCTION, entry_point="f", tests=[TestCase(args="[1,", expected="1")])
    with pytest.raises(ValidationError, match="construct"):
        JudgeSpec(kind=Kind.CLASS, entry_point="A",
                  tests=[TestCase(calls='[["B"]]', expected="[None]")])
    with pytest.raises(ValidationError, match="entry_point"):
        JudgeSpec(kind=Kind.FUNCTION, tests=[TestCase(args="1", expected="1")])
    with pytest.raises(ValidationError, match=r"not a literal|malformed"):
        JudgeSpec(kind=Kind.FUNCTION, entry_point="f",
                  tests=[TestCase(args="__import__('os')", expected="1")])
