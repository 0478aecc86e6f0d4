"""Submissions written to beat the judge, one per way it could be beaten.

Each asserts a clear verdict, never ``accepted`` for a wrong or too slow program, and — where
the attack is on the host — a bounded cost for the process that judged it (CPU seconds and peak
memory of a child process, with generous margins: no wall-clock bounds). The isolation cases
run under both runc and gVisor's runsc.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import docker
import pytest

from runner import JudgeSpec, Kind, Runner, RunnerConfig, RunStatus, SandboxLimits, Status
from runner import TestCase as Case
from runner.engine import OWNER_LABEL
from runner.image import image_tag

from .conftest import ADD, function_spec
from .hostile import ROOT, judge_in_child

CPU_BOUND = 8.0  # seconds of the judging process, for any single submission (normal: < 1)
MEMORY_BOUND = 400.0  # MiB peak of the judging process (normal: about 100)

# A correct answer that takes 3 s per test: it must never be accepted with a 2 s limit.
SLOW = "import time\n\ndef add(a, b):\n    time.sleep(3)\n    return a + b\n"
ADD_32 = function_spec("add", *[(f"{i}, {i}", str(2 * i), i > 2) for i in range(32)])


def forged_frame(body: str) -> str:
    """Code that writes a result frame carrying ``body`` to every descriptor it can find."""
    return (
        "import json, os, struct\n"
        "def forge(body):\n"
        "    head = json.dumps({'t': 'result', 'n': len(body)}).encode()\n"
        "    frame = struct.pack('>I', len(head)) + head + body\n"
        "    for fd in range(0, 64):\n"
        "        try:\n"
        "            os.write(fd, frame)\n"
        "        except OSError:\n"
        "            pass\n"
        f"BODY = {body!r}.encode()\n"
    )


# -- 1. user code cannot reach the judge or stretch its clock ------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        # ignore the timer signal, then be slow
        "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n" + SLOW,
        # walk up the frames into the harness's globals and call whatever writes results
        "import sys, time\n"
        "def add(a, b):\n"
        "    f = sys._getframe()\n"
        "    while f is not None:\n"
        "        for name in ('send', 'emit'):\n"
        "            fn = f.f_globals.get(name)\n"
        "            if callable(fn):\n"
        "                for _ in range(40):\n"
        "                    try:\n"
        "                        fn({'t': 'result', 'ms': 0.1}, b'[{\"value\": \"' + str(a + b).encode() + b'\"}]')\n"
        "                    except Exception:\n"
        "                        pass\n"
        "        f = f.f_back\n"
        "    time.sleep(3)\n"
        "    return a + b\n",
        # forge results on every descriptor ahead of time, then be slow
        forged_frame('[{"value": "0"}]') + "import time\n"
        "def add(a, b):\n"
        "    for _ in range(40):\n"
        '        forge((\'[{"value": "%d"}]\' % (a + b)).encode())\n'
        "    time.sleep(3)\n"
        "    return a + b\n",
        # do the work in a thread that outlives the call
        "import threading, time\n"
        "def add(a, b):\n"
        "    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
        "    time.sleep(3)\n"
        "    return a + b\n",
    ],
    ids=["sigalrm-ignored", "frame-walk", "forged-frames", "thread"],
)
async def test_a_slow_answer_is_never_accepted(source: str) -> None:
    judged = await asyncio.to_thread(judge_in_child, source, ADD)
    # Forged answers can only be answers to tests already seen: wrong for the next one.
    assert judged.result.status in (Status.TIME_LIMIT, Status.WRONG_ANSWER), judged.result.summary
    assert judged.cpu_seconds < CPU_BOUND


# Tests that each expect a different exception: one exception must not answer them all.
RAISES = JudgeSpec(
    kind=Kind.FUNCTION,
    entry_point="f",
    tests=[
        Case(args="1", expected="1"),
        Case(args="-1", raises="ValueError"),
        Case(args="'x'", raises="TypeError", hidden=True),
        Case(args="None", raises="KeyError", hidden=True),
    ],
)


@pytest.mark.parametrize(
    "omni",
    [
        # classes named after standard exceptions, each "deriving" from the next
        "Omni = Exception\nfor name in ('KeyError', 'TypeError', 'ValueError'):\n"
        "    Omni = type(name, (Omni,), {})\n",
        # really all three at once: judged as its nearest standard type
        "class Omni(KeyError, TypeError, ValueError):\n    pass\n",
        # the worker's own report of the exception, rewritten from inside its process
        "import sys\nworker = sys.modules['__main__']\n"
        "def describe(exc):\n"
        "    names = ['KeyError', 'TypeError', 'ValueError', 'LookupError', 'Exception']\n"
        "    return {'type': 'ValueError', 'names': names, 'message': '', 'frames': []}\n"
        "worker.describe = describe\nOmni = ValueError\n",
    ],
    ids=["named-chain", "multiple-bases", "rewritten-report"],
)
async def test_one_exception_cannot_pass_for_every_expected_one(runner: Runner, omni: str) -> None:
    source = omni + "def f(x):\n    if x == 1:\n        return 1\n    raise Omni('bad')\n"
    verdict = await runner.judge(source, RAISES)
    assert not verdict.accepted, verdict.summary
    honest = (
        "def f(x):\n    if x == 1:\n        return 1\n"
        "    raise {-1: ValueError, 'x': TypeError}.get(x, KeyError)('bad')\n"
    )
    assert (await runner.judge(honest, RAISES)).accepted


def test_the_learners_process_cannot_touch_the_supervisor(runtime: str) -> None:
    probe = (
        "import os, signal\n"
        "for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGINT, signal.SIGTERM):\n"
        "    try:\n"
        "        os.kill(1, sig)\n"
        "    except OSError as exc:\n"
        "        print('kill refused', exc.errno)\n"
        "for path in ('/proc/1/mem', '/proc/1/fd/0', '/proc/1/fd/1', '/proc/1/fd/3'):\n"
        "    try:\n"
        "        open(path, 'rb').read(1)\n"
        "        print('OPENED', path)\n"
        "    except OSError as exc:\n"
        "        print('refused', path)\n"
        "print('fds', sorted(int(n) for n in os.listdir('/proc/self/fd')))\n"
    )
    judged = judge_in_child(probe, None, runtime)
    result = judged.result
    assert result.status is RunStatus.OK, result
    assert "OPENED" not in result.stdout
    # still alive after every signal: the run finished normally and said so
    assert result.stdout.count("refused /proc/1") == 4


# -- 2. what comes back is bounded before it is parsed, and parsed off the loop ------------------


@pytest.mark.parametrize(
    ("source", "status"),
    [
        # a repr of a megabyte list literal, on 32 tests
        (
            "class Big:\n    def __repr__(self):\n        return '[' + '1, ' * 350_000 + '1]'\n"
            "def add(a, b):\n    return Big()\n",
            Status.WRONG_ANSWER,
        ),
        # a real list of a million items where a number is expected
        ("def add(a, b):\n    return list(range(1_000_000))\n", None),
        # nesting deeper than any parser
        (
            "def add(a, b):\n    x = []\n    for _ in range(100_000):\n        x = [x]\n    return x\n",
            Status.WRONG_ANSWER,
        ),
        # a forged 6 MB answer written straight to the result pipe
        (
            forged_frame("[" + '{"value": "[' + "1," * 3_000_000 + '1]"}' + "]")
            + "def add(a, b):\n    forge(BODY)\n    return a + b\n",
            None,
        ),
    ],
    ids=["megabyte-repr", "million-items", "deep-nesting", "forged-6mb"],
)
async def test_huge_or_deep_answers_cost_the_host_little(
    source: str, status: Status | None
) -> None:
    judged = await asyncio.to_thread(judge_in_child, source, ADD_32)
    verdict = judged.result
    assert not verdict.accepted and verdict.summary
    if status is not None:
        assert verdict.status is status, verdict.summary
    assert judged.cpu_seconds < CPU_BOUND
    assert judged.peak_mib < MEMORY_BOUND


# Ints equal modulo 2**61 - 1 share a hash: a set, dict or multiset of thousands of them takes
# quadratic time to build or count. The expected answers are large, so the caps let them through.
BIG = str(set(range(15_000)))
COLLIDING = "[k * (2**61 - 1) for k in range(1, 15_001)]"


@pytest.mark.parametrize(
    ("expected", "compare", "source"),
    [
        (  # a forged set: the learner's process reports whatever text it likes
            BIG,
            {},
            "import json, sys\n"
            f"TEXT = json.dumps({{'$set': {COLLIDING}}})\n"
            "sys.modules['__main__'].encode = lambda value: TEXT\n"
            "def add(a, b):\n    return None\n",
        ),
        (
            str(dict.fromkeys(range(15_000), 0)),
            {},
            "import json, sys\n"
            f"TEXT = json.dumps({{'$dict': [[k, 0] for k in {COLLIDING}]}})\n"
            "sys.modules['__main__'].encode = lambda value: TEXT\n"
            "def add(a, b):\n    return None\n",
        ),
        (  # an unordered answer: a plain list, counted on the host
            str(list(range(15_000))),
            {"unordered": True},
            f"def add(a, b):\n    return {COLLIDING}\n",
        ),
    ],
    ids=["set", "dict", "unordered-list"],
)
async def test_values_built_from_hash_collisions_cost_the_host_little(
    expected: str, compare: dict, source: str
) -> None:
    spec = function_spec("add", *[(f"{i}, 0", expected) for i in range(6)], compare=compare)
    judged = await asyncio.to_thread(judge_in_child, source, spec)
    assert judged.result.status is Status.WRONG_ANSWER, judged.result.summary
    assert judged.cpu_seconds < CPU_BOUND


async def test_the_event_loop_stays_free_while_hostile_answers_are_judged(runner: Runner) -> None:
    """The loop keeps ticking (bounded by CPU work on it, not by time: count ticks)."""
    source = (
        "class Big:\n    def __repr__(self):\n        return '[' + '1, ' * 350_000 + '1]'\n"
        "def add(a, b):\n    return Big()\n"
    )
    ticks = 0
    stop = asyncio.Event()

    async def tick() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    verdicts = await asyncio.gather(*(runner.judge(source, ADD_32) for _ in range(3)))
    stop.set()
    await ticker
    assert not any(v.accepted for v in verdicts)
    assert ticks > 100  # a blocked loop would have ticked a handful of times


async def test_compiling_a_slow_source_does_not_hold_the_event_loop(sandbox: None) -> None:
    """One f-string of 21,000 fields takes the compiler about half a second; five of them
    compiled on the loop would cost its thread seconds of CPU (CPU time, not wall time)."""
    series = f"{sys.version_info[0]}.{sys.version_info[1]}"  # the host compiles its own series
    config = RunnerConfig(pool_size=0, python=series, image=image_tag(series))
    source = "x = f'" + "{1}" * 21_000 + "'\n)\n"  # and a syntax error: no container needed
    async with Runner(config) as host_series:
        before = time.thread_time()
        verdicts = await asyncio.gather(*(host_series.judge(source, ADD) for _ in range(5)))
        spent = time.thread_time() - before
    assert all(v.status is Status.SYNTAX_ERROR for v in verdicts)
    assert spent < 0.5, f"the event loop's thread spent {spent:.2f} CPU seconds"


# -- 3. anything unexpected becomes a verdict, never an exception --------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "def add(a, b):\n    return 10 ** 5000\n",  # past the int digit limit
        "def add(a, b):\n    raise ValueError('\\udc80 lone surrogate')\n",
        "def add(a, b):\n    print('\\ud800 and a NUL \\x00')\n    return a + b + 1\n",
        "class E(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\n"
        "def add(a, b):\n    raise E()\n",
        "class Eq:\n    def __eq__(self, other):\n        raise RuntimeError\n"
        "    __hash__ = None\ndef add(a, b):\n    return Eq()\n",
        forged_frame("[" * 100_000) + "def add(a, b):\n    forge(BODY)\n    return a + b\n",
        forged_frame('[{"value": {"$int": 5}}]') + "def add(a, b):\n    forge(BODY)\n"
        "    return a + b\n",
        forged_frame('[{"value": "' + "[" * 50_000 + '"}]')
        + "def add(a, b):\n    forge(BODY)\n    return a + b\n",
        "import json, os, struct\n"
        "def add(a, b):\n"
        '    head = b\'{"t": "result", "n": "lots"}\'\n'
        "    for fd in range(64):\n"
        "        try: os.write(fd, struct.pack('>I', len(head)) + head)\n"
        "        except OSError: pass\n"
        "    return a + b\n",
        "import os\ndef add(a, b):\n    os.close(1); os.close(2)\n    return a + b\n",
        "import os\ndef add(a, b):\n    os._exit(0)\n",
        "import sys\ndef add(a, b):\n    sys.exit('bye')\n",
        "import os, signal\ndef add(a, b):\n    os.kill(os.getpid(), signal.SIGSEGV)\n",
    ],
    ids=[
        "huge-int",
        "surrogate-exception",
        "surrogate-stdout",
        "hostile-str",
        "hostile-eq",
        "deep-forged-body",
        "forged-bad-tag",
        "forged-deep-value",
        "forged-bad-size",
        "closed-stdout",
        "os-exit",
        "sys-exit",
        "segfault",
    ],
)
async def test_every_behaviour_has_a_verdict(runner: Runner, source: str) -> None:
    spec = function_spec("add", ("1, 2", "3"), ("2, 2", "4"), compare={"float_tolerance": 1e-6})
    verdict = await runner.judge(source, spec)
    assert (verdict.summary and not verdict.accepted) or verdict.status is Status.ACCEPTED
    assert verdict.status is not Status.SANDBOX_ERROR, verdict.summary
    json.loads(verdict.model_dump_json())  # serialising never fails


async def test_run_survives_hostile_output(runner: Runner) -> None:
    result = await runner.run(
        "import sys\nsys.stdout.buffer.write(bytes(range(256)) * 10)\nprint('\\udc80')\n"
    )
    assert result.status in (RunStatus.OK, RunStatus.ERROR)
    json.loads(result.model_dump_json())


# -- 4. a container ends by itself, whatever happens to its host process -------------------------


def _containers_of(owner: str) -> list[str]:
    client = docker.from_env()
    found = client.containers.list(
        all=True, sparse=True, filters={"label": f"{OWNER_LABEL}={owner}"}
    )
    return [c.id for c in found]


def _start_judge_then_kill(code: str, request: dict, settle: float) -> str:
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin and child.stdout
    child.stdin.write(json.dumps(request))
    child.stdin.close()
    owner = json.loads(child.stdout.readline())["owner"]
    deadline = time.monotonic() + 60
    while not _containers_of(owner) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _containers_of(owner), "the judging process never started a container"
    time.sleep(settle)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return owner


def _gone_within(owner: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _containers_of(owner):
            return True
        time.sleep(0.5)
    return not _containers_of(owner)


def test_a_judging_process_killed_mid_run_leaves_nothing_running(runtime: str) -> None:
    source = (
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "def add(a, b):\n    while True:\n        pass\n"
    )
    request = {
        "source": source,
        "spec": ADD.model_dump(mode="json"),
        "runtime": runtime,
        "stdin": "",
    }
    code = "import runpy; runpy.run_module('tests.runner.hostile', run_name='__main__')"
    owner = _start_judge_then_kill(code, request, settle=1.0)
    limits = SandboxLimits()
    assert _gone_within(owner, limits.wall_seconds + 10), "the container outlived its limits"


def test_pooled_containers_of_a_killed_process_end_after_their_idle_limit() -> None:
    code = (
        "import asyncio, json, sys\n"
        "from runner import Runner, RunnerConfig, SandboxLimits\n"
        "from runner.engine import owner_tag\n"
        "async def main():\n"
        "    sys.stdin.read()\n"
        "    print(json.dumps({'owner': owner_tag()}), flush=True)\n"
        "    async with Runner(RunnerConfig(pool_size=2, limits=SandboxLimits(idle_seconds=5))):\n"
        "        await asyncio.sleep(600)\n"
        "asyncio.run(main())\n"
    )
    owner = _start_judge_then_kill(code, {}, settle=0.5)
    assert _gone_within(owner, 5 + 15), "idle pooled containers outlived their idle limit"


# -- 5. output caps count every byte, however it is written -------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import os\ndef add(a, b):\n    for _ in range(3000):\n        os.write(1, b'x' * 65536)\n"
        "    return a + b\n",
        "import os\ndef add(a, b):\n    while True:\n        os.write(2, b'e' * 65536)\n",
        "import sys\ndef add(a, b):\n    sys.stdout.buffer.write(b'y' * 10_000_000)\n"
        "    return a + b\n",
        "import subprocess\ndef add(a, b):\n    subprocess.run(['yes'])\n",
    ],
    ids=["fd1", "fd2", "buffer", "child-process"],
)
async def test_output_written_any_way_hits_the_output_limit(runner: Runner, source: str) -> None:
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.OUTPUT_LIMIT, verdict.summary


async def test_endless_writes_to_the_result_pipe_are_refused(runner: Runner) -> None:
    source = forged_frame("[]") + "def add(a, b):\n    while True:\n        forge(b'[]' * 1000)\n"
    verdict = await runner.judge(source, ADD)
    # The frames go to every descriptor, stdout too: which limit trips first is a race, and any
    # of the three is a refusal.
    refusals = (Status.RUNTIME_ERROR, Status.TIME_LIMIT, Status.OUTPUT_LIMIT)
    assert verdict.status in refusals, verdict.summary


# -- 6. the seccomp profile allows what Docker's default allows, minus more ---------------------

SYSCALL_PROBE = """
import ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
calls = {"personality": (135, 0x0400000), "mbind": (237, 0, 0, 0, 0, 0, 0),
         "set_mempolicy": (238, 0, 0, 0), "move_pages": (279, 0, 0, 0, 0, 0, 0),
         "memfd_create": (319, b"x", 0), "io_uring_setup": (425, 1, 0), "ptrace": (101, 0, 0, 0, 0),
         "unshare": (272, 0x10000000), "newer-than-the-list": (460, 0, 0, 0)}
for name, (number, *args) in calls.items():
    print(name, "allowed" if libc.syscall(number, *args) >= 0 else "refused")
try:
    socket.socket(socket.AF_INET)
    print("inet allowed")
except OSError:
    print("inet refused")
socket.socket(socket.AF_UNIX)
import threading
thread = threading.Thread(target=print, args=("threads work",))
thread.start()
thread.join()
"""


def test_dangerous_system_calls_are_refused(runtime: str) -> None:
    result = judge_in_child(SYSCALL_PROBE, None, runtime).result
    assert result.status is RunStatus.OK, result
    assert "allowed" not in result.stdout, result.stdout
    assert "threads work" in result.stdout


def test_under_gvisor_the_host_kernel_is_hidden(runtime: str) -> None:
    result = judge_in_child("print(open('/proc/version').read())", None, runtime).result
    assert result.runtime == runtime
    if runtime == "runsc":
        assert "4.4.0" in result.stdout  # gVisor's own, not the host's
    else:
        assert os.uname().release in result.stdout  # runc shares the host kernel: documented


# -- 7. small things -----------------------------------------------------------------------------


async def test_a_byte_order_mark_is_not_a_syntax_error(runner: Runner) -> None:
    verdict = await runner.judge("\ufeffdef add(a, b):\n    return a + b\n", ADD)
    assert verdict.status is Status.ACCEPTED


async def test_run_syntax_errors_show_only_the_learners_lines(runner: Runner) -> None:
    result = await runner.run("print('hi'\n")
    assert result.status is RunStatus.ERROR
    assert 'File "main.py", line 1' in result.stderr and "<string>" not in result.stderr
    assert "harness" not in result.stderr and "supervisor" not in result.stderr


async def test_hidden_failures_name_no_test_and_vary_in_order(runner: Runner) -> None:
    spec = JudgeSpec(
        kind=Kind.FUNCTION,
        entry_point="f",
        tests=[
            Case(args="0", expected="0"),
            *(Case(args=str(i), expected=str(i), hidden=True) for i in range(1, 9)),
        ],
    )
    numbers = set()
    for _ in range(6):
        verdict = await runner.judge("def f(x):\n    return 0\n", spec)
        assert verdict.summary == "Wrong answer on a hidden test."
        assert verdict.failed is not None and verdict.failed.hidden
        numbers.add(verdict.failed.number)
    assert len(numbers) > 1  # the first failing hidden test is not a stable oracle


async def test_a_killed_pool_container_is_replaced_transparently(sandbox: None) -> None:
    async with Runner(RunnerConfig(pool_size=1)) as fresh:
        for _ in range(100):
            if fresh.pool_ready:
                break
            await asyncio.sleep(0.1)
        for container_id in fresh.engine.list_ids():
            docker.from_env().containers.get(container_id).kill()
        verdict = await fresh.judge("def add(a, b):\n    return a + b\n", ADD)
    assert verdict.status is Status.ACCEPTED


async def test_pooled_containers_are_replaced_before_their_idle_limit(sandbox: None) -> None:
    limits = SandboxLimits(idle_seconds=5)
    async with Runner(RunnerConfig(pool_size=1, limits=limits)) as fresh:
        for _ in range(100):
            if fresh.pool_ready:
                break
            await asyncio.sleep(0.1)
        first = set(fresh.engine.list_ids())
        await asyncio.sleep(6)  # past the idle limit: the first container has ended itself
        verdict = await fresh.judge("def add(a, b):\n    return a + b\n", ADD)
        assert verdict.status is Status.ACCEPTED
        assert not first & set(fresh.engine.list_ids())


# -- 8. a hidden test's verdict carries nothing the program chose ---------------------------------

# The hidden input is (31, 47): each program below spells it out through a different part of the
# verdict, so that repeated submissions could learn every hidden input and answer by lookup.
LEAK_SPEC = function_spec("add", ("1, 2", "3"), ("31, 47", "78", True))
KNOWN = "def add(a, b):\n    if (a, b) == (1, 2):\n        return 3\n"


@pytest.mark.parametrize(
    "leak",
    [
        "    raise ValueError('input %d%d' % (a, b))\n",  # the message
        "    raise type('In%d%d' % (a, b), (KeyError,), {})()\n",  # the exception's own name
        "    exec(compile('\\n' * (a * 100 + b - 1) + '1 / 0', 'main.py', 'exec'))\n",  # the line
        "    import sys\n    sys.exit('input %d%d' % (a, b))\n",
        "    return type('In%d%d' % (a, b), (list,), {})()\n",  # "expected a number, got a In3147"
        "    return type('In%d%d' % (a, b), (str,), {})()\n",
        "    return type('In%d%d' % (a, b), (), {})()\n",
        "    import os\n    os._exit(b)\n",  # the exit status
        "    import os, signal\n    os.kill(os.getpid(), signal.SIGUSR1)\n",  # a signal number
        "    import time\n    time.sleep(0.001 * (a * 10 + b))\n    return 0\n",  # the test's time
    ],
    ids=[
        "message",
        "type-name",
        "line",
        "sys-exit",
        "list-subclass",
        "str-subclass",
        "object",
        "exit-status",
        "signal",
        "timing",
    ],
)
async def test_a_hidden_failure_cannot_spell_out_its_input(runner: Runner, leak: str) -> None:
    verdict = await runner.judge(KNOWN + leak, LEAK_SPEC)
    assert not verdict.accepted and verdict.failed is not None and verdict.failed.hidden
    told = verdict.model_dump_json(exclude={"duration_ms", "peak_memory_kib"})
    assert "3147" not in told and "In" not in told.replace("Input", ""), told
    assert "47" not in (verdict.failed.message or "") + verdict.summary
    if verdict.error is not None:  # a standard exception type at most, never a line
        error = verdict.error
        assert error.line is None and "47" not in error.message + error.traceback, error
    assert verdict.failed.duration_ms is None


async def test_a_self_inflicted_kill_is_not_called_a_memory_limit(runner: Runner) -> None:
    source = "import os, signal\ndef add(a, b):\n    os.killpg(0, signal.SIGKILL)\n"
    verdict = await runner.judge(source, ADD)  # runc: the cgroup counts memory kills
    assert verdict.status is Status.RUNTIME_ERROR, verdict.summary


async def test_interfering_with_the_judge_while_loading_says_so(runner: Runner) -> None:
    # every frame the learner's process sends is now the same forged text
    source = "import json\njson.dumps = lambda *a, **k: '[]'\ndef add(a, b):\n    return a + b\n"
    verdict = await runner.judge(source, ADD)
    assert verdict.status is Status.RUNTIME_ERROR and verdict.error is not None
    assert "interfered with the judge" in verdict.summary
