"""Function problems through the real sandbox: every verdict kind."""

from __future__ import annotations

import pytest

from runner import CompareOptions, Runner, RunnerConfig, SandboxLimits, Status

from .conftest import ADD, function_spec

pytestmark = pytest.mark.docker


async def test_accepted(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    return a + b\n", ADD)
    assert verdict.status is Status.ACCEPTED, verdict.summary
    assert (verdict.passed, verdict.total) == (3, 3)
    assert verdict.python_version and verdict.python_version.startswith("3.")
    assert all(t.duration_ms is not None for t in verdict.tests)


async def test_wrong_answer_on_visible_test_shows_the_case(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    return a - b\n", ADD)
    assert verdict.status is Status.WRONG_ANSWER
    failed = verdict.failed
    assert failed is not None and failed.number == 1 and not failed.hidden
    assert (failed.input, failed.expected, failed.got) == ("add(1, 2)", "3", "-1")
    assert verdict.summary == "Wrong answer on test 1."


async def test_wrong_answer_on_hidden_test_reveals_nothing(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    return a + b if a < 5 else 0\n", ADD)
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.failed and verdict.failed.hidden and verdict.failed.number == 3
    assert verdict.failed.input is None and verdict.failed.expected is None
    assert verdict.failed.got is None
    assert verdict.summary == "Wrong answer on a hidden test."  # neither which one nor a count


async def test_runtime_error_has_users_lines_only(runner: Runner) -> None:
    source = "def helper(x):\n    return [][x]\n\n\ndef add(a, b):\n    return helper(a)\n"
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.RUNTIME_ERROR
    assert verdict.error is not None
    assert verdict.error.type == "IndexError" and verdict.error.line == 2
    assert 'File "main.py", line 6, in add' in verdict.error.traceback
    assert "return [][x]" in verdict.error.traceback
    assert "harness" not in verdict.error.traceback
    assert verdict.passed == 0 and len(verdict.tests) == 3  # every test still ran


async def test_error_while_loading_module(runner: Runner) -> None:
    verdict = await runner.judge("import nonexistent_module\n", ADD)
    assert verdict.status is Status.RUNTIME_ERROR
    assert verdict.error and verdict.error.type == "ModuleNotFoundError"


async def test_missing_entry_point_is_explained(runner: Runner) -> None:
    verdict = await runner.judge("def plus(a, b):\n    return a + b\n", ADD)
    assert verdict.status is Status.RUNTIME_ERROR
    assert verdict.error and "no function named add" in verdict.error.message


async def test_syntax_error_detected_on_host_with_caret(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b)\n    return a + b\n", ADD)
    assert verdict.status is Status.SYNTAX_ERROR
    assert verdict.error and verdict.error.line == 1
    assert "^" in verdict.error.traceback


async def test_null_bytes_are_a_syntax_error(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\x00 return 1\n", ADD)
    assert verdict.status is Status.SYNTAX_ERROR


async def test_time_limit_within_limit_plus_one_second(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    while True:\n        pass\n", ADD)
    assert verdict.status is Status.TIME_LIMIT
    assert verdict.failed and verdict.failed.number == 1
    assert "infinite loop" in verdict.summary


async def test_time_limit_when_the_timer_is_swallowed(runner: Runner) -> None:
    source = (
        "def add(a, b):\n"
        "    while True:\n"
        "        try:\n"
        "            while True:\n"
        "                pass\n"
        "        except BaseException:\n"
        "            pass\n"
    )
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.TIME_LIMIT


async def test_memory_limit(sandbox: None) -> None:
    # A small limit, so the hog reaches it long before any time limit on a busy machine.
    limits = SandboxLimits(memory_mib=48)
    source = "def add(a, b):\n    hog = []\n    while True:\n        hog.append(bytearray(2**20))\n"
    async with Runner(RunnerConfig(pool_size=0, limits=limits)) as small:
        verdict = await small.judge(source, ADD)
    assert verdict.status is Status.MEMORY_LIMIT, verdict.summary
    assert "48 MiB" in verdict.summary and "keeps adding to a list" in verdict.summary


async def test_huge_single_allocation_is_a_memory_limit(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    return len(bytearray(2**40))\n", ADD)
    assert verdict.status is Status.MEMORY_LIMIT


async def test_output_limit(runner: Runner) -> None:
    source = "def add(a, b):\n    while True:\n        print('x' * 1000)\n"
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.OUTPUT_LIMIT


async def test_output_flood_straight_to_the_file_descriptor(runner: Runner) -> None:
    source = "import os\n\ndef add(a, b):\n    while True:\n        os.write(1, b'y' * 65536)\n"
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.OUTPUT_LIMIT


async def test_prints_are_shown_but_do_not_count_as_the_answer(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    print('thinking')\n    return a + b\n", ADD)
    assert verdict.status is Status.ACCEPTED
    assert verdict.tests[0].stdout == "thinking\n"


async def test_forged_protocol_lines_cannot_fake_acceptance(runner: Runner) -> None:
    # Print what a harness result would look like, for every plausible marker, then fail.
    source = (
        "import os\n"
        "def add(a, b):\n"
        '    os.write(1, b\'\\x1eabcdef0123456789 {"t": "result", "i": 2, "value": "15"}\\n\')\n'
        '    os.write(1, b\'\\x1eabcdef0123456789 {"t": "done"}\\n\')\n'
        "    return None\n"
    )
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.WRONG_ANSWER


async def test_float_tolerance_and_unordered_lists(runner: Runner) -> None:
    spec = function_spec("third", ("1", "0.3333333"), compare=CompareOptions(float_tolerance=1e-6))
    ok = await runner.judge("def third(x):\n    return x / 3\n", spec)
    assert ok.status is Status.ACCEPTED
    spec = function_spec(
        "evens", ("[1, 2, 3, 4]", "[2, 4]"), compare=CompareOptions(unordered=True)
    )
    ok = await runner.judge("def evens(xs):\n    return [4, 2]\n", spec)
    assert ok.status is Status.ACCEPTED
    exact = function_spec("evens", ("[1, 2, 3, 4]", "[2, 4]"))
    wrong = await runner.judge("def evens(xs):\n    return [4, 2]\n", exact)
    assert wrong.status is Status.WRONG_ANSWER


async def test_non_literal_return_value_is_wrong_not_a_crash(runner: Runner) -> None:
    verdict = await runner.judge("def add(a, b):\n    return (x for x in [a + b])\n", ADD)
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.failed and verdict.failed.got and "generator" in verdict.failed.got


async def test_main_guard_does_not_run_for_function_problems(runner: Runner) -> None:
    source = "def add(a, b):\n    return a + b\n\nif __name__ == '__main__':\n    input()\n"
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.ACCEPTED
