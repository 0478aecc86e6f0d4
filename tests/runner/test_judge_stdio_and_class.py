"""stdio and class problems through the real sandbox."""

from __future__ import annotations

import pytest

from runner import JudgeSpec, Kind, Runner, Status, TestCase

pytestmark = pytest.mark.docker

SUM_LINES = JudgeSpec(
    kind=Kind.STDIO,
    tests=[
        TestCase(stdin="2\n3\n4\n", expected="7\n"),
        TestCase(stdin="1\n5\n", expected="5"),
        TestCase(stdin="3\n1\n1\n1\n", expected="3", hidden=True),
    ],
)

STACK = JudgeSpec(
    kind=Kind.CLASS,
    entry_point="MinStack",
    tests=[
        TestCase(
            calls='[["MinStack"], ["push", 1], ["push", 3], ["get_min"], ["pop"], ["get_min"]]',
            expected="[None, None, None, 1, 3, 1]",
        ),
        TestCase(
            calls='[["MinStack"], ["push", -2], ["get_min"]]',
            expected="[None, None, -2]",
            hidden=True,
        ),
    ],
)

GOOD_STACK = """
class MinStack:
    def __init__(self):
        self.items = []

    def push(self, x):
        self.items.append((x, min(x, self.items[-1][1]) if self.items else x))

    def pop(self):
        return self.items.pop()[0]

    def get_min(self):
        return self.items[-1][1]
"""


@pytest.mark.parametrize(
    ("source", "status"),
    [
        ("n = int(input())\nprint(sum(int(input()) for _ in range(n)))\n", Status.ACCEPTED),
        # prompts passed to input() are not part of the answer
        (
            "n = int(input('how many? '))\nprint(sum(int(input('> ')) for _ in range(n)))\n",
            Status.ACCEPTED,
        ),
        (
            "import sys\nnums = sys.stdin.read().split()\nprint(sum(map(int, nums[1:])))   \n\n",
            Status.ACCEPTED,
        ),
        ("n = int(input())\nprint(n)\n", Status.WRONG_ANSWER),
        (
            "n = int(input())\nprint(sum(int(input()) for _ in range(n + 1)))\n",
            Status.RUNTIME_ERROR,
        ),
        ("while True:\n    pass\n", Status.TIME_LIMIT),
        ("x = ' ' * (2**30)\n", Status.MEMORY_LIMIT),
        ("while True:\n    print('spam' * 100)\n", Status.OUTPUT_LIMIT),
        ("print('unclosed'\n", Status.SYNTAX_ERROR),
        ("import sys\nsys.exit(3)\n", Status.RUNTIME_ERROR),
    ],
)
async def test_stdio_verdicts(runner: Runner, source: str, status: Status) -> None:
    verdict = await runner.judge(source, SUM_LINES)
    assert verdict.status is status, verdict.summary


async def test_stdio_wrong_answer_shows_stdin_and_output(runner: Runner) -> None:
    verdict = await runner.judge("print(int(input()) * 2)\n", SUM_LINES)
    assert verdict.failed is not None
    assert (verdict.failed.input, verdict.failed.expected, verdict.failed.got) == (
        "2\n3\n4\n",
        "7\n",
        "4\n",
    )


async def test_runtime_error_reading_past_stdin_is_an_eof_error(runner: Runner) -> None:
    verdict = await runner.judge("input()\ninput()\ninput()\ninput()\n", SUM_LINES)
    assert verdict.status is Status.RUNTIME_ERROR
    assert verdict.error and verdict.error.type == "EOFError" and verdict.error.line == 4


@pytest.mark.parametrize(
    ("source", "status"),
    [
        (GOOD_STACK, Status.ACCEPTED),
        (GOOD_STACK.replace("min(x, self.items[-1][1])", "x"), Status.WRONG_ANSWER),
        (
            GOOD_STACK.replace("return self.items[-1][1]", "return self.itemz[-1][1]"),
            Status.RUNTIME_ERROR,
        ),
        (
            GOOD_STACK.replace("self.items = []", "self.items = []\n        while True: pass"),
            Status.TIME_LIMIT,
        ),
        (GOOD_STACK.replace("self.items = []", "self.items = [0] * 10**9"), Status.MEMORY_LIMIT),
        (
            GOOD_STACK.replace("self.items = []", "self.items = []\n        while 1: print(9**99)"),
            Status.OUTPUT_LIMIT,
        ),
        ("class MinStack:\n    def push(self x): pass\n", Status.SYNTAX_ERROR),
        ("class MaxStack:\n    pass\n", Status.RUNTIME_ERROR),
    ],
)
async def test_class_verdicts(runner: Runner, source: str, status: Status) -> None:
    verdict = await runner.judge(source, STACK)
    assert verdict.status is status, verdict.summary


async def test_class_runtime_error_names_the_call(runner: Runner) -> None:
    source = GOOD_STACK.replace("return self.items[-1][1]", "return self.itemz[-1][1]")
    verdict = await runner.judge(source, STACK)
    assert verdict.error and "call 4" in verdict.error.message
    assert verdict.error.type == "AttributeError"
