"""The learner's process inside the sandbox: loads the submission and runs the tests it is sent.

Started by the supervisor (``supervisor.py``) before any submission arrives, so a pooled
container answers without an interpreter start on the critical path. It never sees the
container's stdout, the host, the nonce or any expected value: it reads requests on stdin and
answers on the result pipe whose number it is given. Everything it writes is the learner's
claim, which the supervisor bounds and the host validates. Not imported on the host.

Frames on both pipes: 4-byte big-endian length, then UTF-8 JSON. The sandbox runs this file
with ``encoding.py`` in front of it (``runner.protocol.command``), hence its names here.
"""

# ruff: noqa: F821

import builtins
import contextlib
import io
import json
import linecache
import os
import resource
import struct
import sys
import threading
import time
import traceback
import types

FILENAME = "main.py"
FULL_ERRORS = 3  # per test; later exceptions are reported without their traceback


# -- frames ------------------------------------------------------------------------------------

REQUESTS = os.fdopen(os.dup(0), "rb", buffering=0)
RESULTS = os.fdopen(int(sys.argv[1]), "wb", buffering=0)
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # programs read their stdin from the harness only


def read_frame():
    head = _read_exact(4)
    if head is None:
        os._exit(0)
    body = _read_exact(struct.unpack(">I", head)[0])
    if body is None:
        os._exit(0)
    return json.loads(body)


def _read_exact(size):
    parts, left = [], size
    while left:
        chunk = REQUESTS.read(left)
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def send(message, body=b""):
    """A header frame; a result also carries its body (``n`` bytes) right after it."""
    if body:
        message["n"] = len(body)
    head = json.dumps(message, ensure_ascii=True).encode()
    RESULTS.write(struct.pack(">I", len(head)) + head + body)


def safe_str(value, limit=2000):
    try:
        text = str(value)
        return text[:limit] if isinstance(text, str) else "<unprintable>"
    except BaseException:
        return "<unprintable>"


def describe(exc):
    """An exception as data: type, its class names (for "raises"), message, the user's frames."""
    try:
        frames = traceback.extract_tb(exc.__traceback__)
        if len(frames) > 40:  # deep recursion: the head and the tail tell the story
            frames = frames[:5] + frames[-30:]
        frames = [[str(f.filename)[:200], f.lineno, str(f.name)[:80]] for f in frames]
    except BaseException:
        frames = []
    try:
        only = "".join(traceback.format_exception_only(type(exc), exc))
    except BaseException:
        only = type(exc).__name__ + "\n"
    try:
        names = [c.__name__ for c in type(exc).__mro__][:20]
    except BaseException:
        names = [type(exc).__name__]
    report = {
        "type": str(type(exc).__name__)[:100],
        "names": names,
        "message": safe_str(exc),
        "exc_only": only[-3000:] if isinstance(only, str) else "",
        "frames": frames,
    }
    if isinstance(exc, SyntaxError):  # found by this interpreter, newer than the host's
        report["line"] = exc.lineno if isinstance(exc.lineno, int) else None
        report["message"] = safe_str(exc.msg)
    return report


def brief(exc):
    try:
        names = [c.__name__ for c in type(exc).__mro__][:20]
    except BaseException:
        names = [type(exc).__name__]
    return {
        "type": str(type(exc).__name__)[:100],
        "names": names,
        "message": safe_str(exc, 200),
        "exc_only": "",
        "frames": [],
    }


# -- output ------------------------------------------------------------------------------------

STDOUT = io.TextIOWrapper(
    io.FileIO(1, "w", closefd=False),
    encoding="utf-8",
    errors="backslashreplace",
    write_through=True,
)
STDERR = io.TextIOWrapper(
    io.FileIO(2, "w", closefd=False),
    encoding="utf-8",
    errors="backslashreplace",
    write_through=True,
)


def reset_streams():
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):  # the learner's own stream object
            stream.flush()
    sys.stdout, sys.stderr = STDOUT, STDERR


def quiet_input(prompt=""):
    """input() for judged programs: prompts are not part of the answer, so they are dropped."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError("EOF when reading a line")
    return line[:-1] if line.endswith("\n") else line


# -- helpers available to test steps -----------------------------------------------------------


def take(iterable, count):
    """The first ``count`` items of any iterable (an infinite generator included)."""
    iterator = iter(iterable)
    return [item for _, item in zip(range(count), iterator, strict=False)]


def is_generator(value):
    return type(value).__name__ == "generator" and hasattr(value, "send")


def is_iterator(value):
    return hasattr(type(value), "__next__") and hasattr(type(value), "__iter__")


HELPERS = {"take": take, "is_generator": is_generator, "is_iterator": is_iterator}


# -- running -----------------------------------------------------------------------------------


def compile_source(source, name):
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    return compile(source, FILENAME, "exec", dont_inherit=True)


def resolve(target, namespace):
    name, _, attribute = target.partition(".")
    if name not in namespace:
        raise NameError(f"name '{name}' is not defined")
    found = namespace[name]
    return getattr(found, attribute) if attribute else found


def solution_module():
    """The namespace the submission runs in, registered as a real module: ``dataclasses`` (with
    string annotations), ``pickle`` and ``typing.get_type_hints`` look classes up there."""
    module = types.ModuleType("solution")
    module.__dict__["__builtins__"] = builtins
    sys.modules["solution"] = module
    return module.__dict__


def run_step(step, namespace):
    """One step: a call with data arguments, a statement, or an expression to report."""
    outcome = {}
    if step.get("call"):
        args, kwargs = decode(step["data"]) if step.get("data") else ([], {})
        function = resolve(step["call"], namespace)
        value = function(*args, **kwargs)
        if step.get("after"):
            outcome["after"] = encode([args, kwargs])
        if step.get("store"):
            namespace[step["store"]] = value
    elif step.get("equals"):
        found = eval(step["code"], namespace)
        other = eval(step["equals"], namespace)
        outcome["repr"], outcome["other"] = short_repr(found), short_repr(other)
        value = bool(found == other)  # the solution's own __eq__, as the statement promises
    elif step.get("report"):
        value = eval(step["code"], namespace)
    else:
        exec(step["code"], namespace)
        value = None
    if step.get("report"):
        outcome["value"] = encode(value)
        outcome.setdefault("repr", short_repr(value))
    return outcome


def run_batch(step, namespace):
    """A classic class test: build the object, then make every call; one list of results."""
    calls = decode(step["data"])
    report = step["report"]
    results = []
    try:
        target = resolve(step["batch"], namespace)
        obj = target(*calls[0][1])
        results.append(None)
        for number in range(1, len(calls)):
            name, args = calls[number]
            value = getattr(obj, name)(*args)
            results.append(value if report[number] else None)
    except MemoryError:
        return {"memory": True, "at": len(results)}
    except BaseException as exc:
        return {"values": encode(results), "error": describe(exc), "at": len(results)}
    return {"values": encode(results)}


def run_steps(test, module):
    namespace = dict(module)
    namespace.update(HELPERS)
    results = []
    errors = 0
    for step in test["steps"]:
        try:
            outcome = run_batch(step, namespace) if "batch" in step else run_step(step, namespace)
        except Unencodable as exc:
            outcome = {"unencodable": safe_str(exc, 200)}
        except MemoryError:
            outcome = {"memory": True}
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are the learner's too
            errors += 1
            outcome = {"error": describe(exc) if errors <= FULL_ERRORS else brief(exc)}
        results.append(outcome)
    return results


def run_stdio(test, code):
    sys.stdin = io.StringIO(test.get("stdin", ""))
    builtins.input = quiet_input
    try:
        exec(code, {"__name__": "__main__", "__builtins__": builtins})
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return [{"error": describe(exc)}]
    except MemoryError:
        return [{"memory": True}]
    except BaseException as exc:
        return [{"error": describe(exc)}]
    return [{}]


def run_program(job):
    """Eval-like execution: stdin from the job, real output, the usual exit status."""
    try:
        code = compile_source(job["source"], "__main__")
    except (SyntaxError, ValueError) as exc:  # newer syntax than the host's Python knows
        STDERR.write("".join(traceback.format_exception_only(type(exc), exc)))
        os._exit(1)
    sys.stdin = io.StringIO(job.get("stdin", ""))
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    status = 0
    try:
        exec(code, namespace)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, int | type(None)):
            STDERR.write(safe_str(exc.code) + "\n")
    except BaseException as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
        text = "Traceback (most recent call last):\n" if frames else ""
        text += "".join(traceback.format_list(frames[-30:]))
        try:
            text += "".join(traceback.format_exception_only(type(exc), exc))
        except BaseException:
            text += type(exc).__name__ + "\n"
        reset_streams()
        STDERR.write(text)
        status = 1
    reset_streams()
    os._exit(status & 0xFF)


def judge(job):
    kind = job["kind"]
    try:
        code = compile_source(job["source"], "solution")
    except BaseException as exc:  # the host's Python is older than ours: a syntax error
        return send({"t": "loaded", "error": describe(exc), "syntax": True})
    module = solution_module()
    if kind != "stdio":
        try:
            exec(code, module)
        except MemoryError:
            return send({"t": "loaded", "memory": True})
        except BaseException as exc:
            reset_streams()
            return send({"t": "loaded", "error": describe(exc)})
        reset_streams()
        entry = module.get(job["entry"])
        fits = isinstance(entry, type) if kind == "class" else callable(entry)
        if not fits:
            what = "class" if kind == "class" else "function"
            return send({"t": "loaded", "missing": f"no {what} named {job['entry']}"})
    send({"t": "loaded"})
    while True:
        request = read_frame()
        started = time.perf_counter()
        steps = run_stdio(request, code) if kind == "stdio" else run_steps(request, module)
        elapsed = (time.perf_counter() - started) * 1000
        reset_streams()
        body = json.dumps(steps, ensure_ascii=True).encode()
        send({"t": "result", "ms": round(elapsed, 3)}, body)


def main():
    try:
        with open("/proc/self/oom_score_adj", "w") as adj:  # under memory pressure, us first
            adj.write("1000")
    except OSError:
        pass
    send({"t": "ready"})  # the interpreter is up: from now on, time is the learner's
    job = read_frame()
    cpu = int(job.get("cpu_seconds", 10))
    used = int(time.process_time()) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (used + cpu, used + cpu))
    # Memory runs out here, as a MemoryError, before the container's limit kills anything
    # (under gVisor that would be the whole sandbox). Thread stacks are kept small to match.
    memory = int(job.get("memory_bytes", 0))
    if memory:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        threading.stack_size(1 << 20)
    sys.stdout, sys.stderr = STDOUT, STDERR
    if job["mode"] == "run":
        run_program(job)
    else:
        judge(job)


main()
