"""`pydojo curriculum show` prints visible tests as learners would read them."""

from __future__ import annotations

from bot.cli import _shown_example
from runner import TestCase
from runner.spec import Step
from runner.values import encode


def test_calls_raises_steps_and_computed_values_are_all_shown() -> None:
    assert _shown_example(TestCase(args="'#f80'", expected="(255, 136, 0)")) == (
        "'#f80' -> (255, 136, 0)"
    )
    assert _shown_example(TestCase(args="'#1'", raises="ValueError", match="colour")) == (
        "'#1' -> raises ValueError ('colour')"
    )
    exact = TestCase(args="''", raises="ValueError", message="empty colour", exact_type=True)
    assert _shown_example(exact) == "'' -> raises ValueError('empty colour'), not a subclass"
    steps = TestCase(
        steps=[
            Step(expr="v = Vector([3, 4])"),
            Step(expr="abs(v)", expected="5.0"),
            Step(expr="v + Vector([1])", raises="ValueError"),
            Step(expr="list(v)", expected_json=encode([3, 4])),
        ],
        prints="hi\n",
    )
    assert _shown_example(steps).splitlines() == [
        "",
        "  >>> v = Vector([3, 4])",
        "  >>> abs(v)",
        "  5.0",
        "  >>> v + Vector([1])",
        "  raises ValueError",
        "  >>> list(v)",
        "  [3, 4]",
        "  prints: 'hi\\n'",
    ]
