"""The program that runs inside the sandbox container, next to the user's code.

It is not imported on the host: its source travels to the container with each submission
(see ``runner.protocol``), so both ways of building the image run the same harness. It only
*reports* what the user's code did — return values as literals, stdout, exceptions and times —
as marked JSON lines on the container's stdout. Expected values never enter the container;
the host compares. Everything printed here is untrusted on the host side.
"""

# ruff: noqa: B023 (lambdas are called immediately, inside the loop iteration that makes them)

import ast
import builtins
import io
import json
import linecache
import os
import signal
import sys
import time
import traceback

P = PAYLOAD  # type: ignore[name-defined]  # noqa: F821 (injected by the bootstrap)
FILENAME = "main.py"
MARK = b"\x1e" + P["nonce"].encode() + b" "
CHANNEL = os.fdopen(os.dup(1), "wb", buffering=0)
VALUE_CHARS = P["value_chars"]
SHOWN_STDOUT = 4000  # per test; the full stream is capped by the output budget


def emit(**message):
    CHANNEL.write(MARK + json.dumps(message).encode() + b"\n")


class TimeLimit(BaseException):
    pass


class OutputLimit(BaseException):
    pass


class Budget:
    remaining = P["output_bytes"]


STATE = {"step": None}  # class kind: which call of the test is running


class Capture(io.TextIOBase):
    """A stdout/stderr replacement that keeps what is written and enforces the output cap."""

    def __init__(self):
        self.parts = []

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        Budget.remaining -= len(text)
        if Budget.remaining < 0:
            raise OutputLimit
        self.parts.append(text)
        return len(text)

    def getvalue(self):
        return "".join(self.parts)


def on_alarm(signum, frame):
    raise TimeLimit


def limited(fn):
    """Run fn under the per-test time limit (the host enforces it too, by killing)."""
    signal.setitimer(signal.ITIMER_REAL, P["test_seconds"])
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def quiet_input(prompt=""):
    """input() for judged programs: prompts are not part of the answer, so they are dropped."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError("EOF when reading a line")
    return line[:-1] if line.endswith("\n") else line


def safe_str(value):
    try:
        return str(value)
    except BaseException:
        return "<unprintable>"


def describe(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    if len(frames) > 40:  # deep recursion: the head and the tail tell the story
        frames = frames[:5] + frames[-30:]
    try:
        only = "".join(traceback.format_exception_only(type(exc), exc))
    except BaseException:
        only = type(exc).__name__ + "\n"
    return {
        "type": type(exc).__name__,
        "message": safe_str(exc)[:2000],
        "exc_only": only[-3000:],
        "frames": [[f.filename, f.lineno, f.name, f.line or ""] for f in frames],
    }


def load_module(name):
    linecache.cache[FILENAME] = (len(P["source"]), None, P["source"].splitlines(True), FILENAME)
    code = compile(P["source"], FILENAME, "exec")
    return code, {"__name__": name, "__builtins__": builtins}


def run_tests(call, prepare=lambda test: test):
    """Run call(prepared test) for each test, reporting a result line per test.

    ``prepare`` (parsing literal arguments) runs before the test's clock starts: big inputs
    must not eat into the learner's time limit.
    """
    for index, test in enumerate(P["tests"]):
        prepared = prepare(test)
        out, err = Capture(), Capture()
        sys.stdout, sys.stderr = out, err
        emit(t="start", i=index)
        started = time.perf_counter()
        stop = None
        try:
            STATE["step"] = None
            value = limited(lambda: call(prepared, out))
            message = {"t": "result", "value": value[:VALUE_CHARS], "cut": len(value) > VALUE_CHARS}
        except TimeLimit:
            message, stop = {"t": "timeout"}, True
        except MemoryError:
            message, stop = {"t": "memory"}, True
        except OutputLimit:
            message, stop = {"t": "output"}, True
        except BaseException as exc:
            message = {"t": "error", "step": STATE["step"], **describe(exc)}
        elapsed = (time.perf_counter() - started) * 1000
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        shown = (out.getvalue() + err.getvalue())[:SHOWN_STDOUT]
        emit(i=index, ms=round(elapsed, 3), stdout=shown, **message)
        if stop:
            return


def judge_function_or_class():
    code, namespace = load_module("solution")
    out = Capture()
    sys.stdout = sys.stderr = out
    try:
        limited(lambda: exec(code, namespace))
    except TimeLimit:
        return emit(t="fatal", stage="load", reason="timeout")
    except MemoryError:
        return emit(t="fatal", stage="load", reason="memory")
    except OutputLimit:
        return emit(t="fatal", stage="load", reason="output")
    except BaseException as exc:
        return emit(t="fatal", stage="load", reason="error", **describe(exc))
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    entry = P["entry"]
    target = namespace.get(entry)
    want_class = P["kind"] == "class"
    if not (isinstance(target, type) if want_class else callable(target)):
        what = "class" if want_class else "function"
        return emit(t="fatal", stage="entry", reason="missing", message=f"no {what} named {entry}")

    if want_class:

        def prepare(test):
            return ast.literal_eval(test["calls"])

        def call(calls, out):
            STATE["step"] = 0
            results = [None]
            instance = target(*calls[0][1:])
            for step, (name, *args) in enumerate(calls[1:], 1):
                STATE["step"] = step
                results.append(getattr(instance, name)(*args))
            return repr(results)

    else:

        def prepare(test):
            return ast.literal_eval("(" + test["args"] + ",)") if test["args"].strip() else ()

        def call(args, out):
            return repr(target(*args))

    run_tests(call, prepare)


def judge_stdio():
    code, _ = load_module("__main__")
    builtins.input = quiet_input

    def call(test, out):
        sys.stdin = io.StringIO(test["stdin"])
        try:
            exec(code, {"__name__": "__main__", "__builtins__": builtins})
        except SystemExit as exc:
            if exc.code not in (None, 0):
                raise
        return out.getvalue()

    run_tests(call)


def run_program():
    """Eval-like execution: real stdout/stderr, stdin from the payload, exit code as usual."""
    code, namespace = load_module("__main__")
    sys.stdin = io.StringIO(P["stdin"])
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
    sys.stderr.reconfigure(line_buffering=True, errors="backslashreplace")
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
        text = "Traceback (most recent call last):\n" if frames else ""
        text += "".join(traceback.format_list(frames[-30:]))
        text += "".join(traceback.format_exception_only(type(exc), exc))
        sys.stderr.write(text)
        sys.stderr.flush()
        os._exit(1)


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    os.close(0)  # the payload is read; user code gets its stdin from the harness only
    emit(t="hello", python=sys.version.split()[0])
    if P["mode"] == "run":
        CHANNEL.close()
        run_program()
        return
    sys.stdin = io.StringIO("")
    try:
        if P["kind"] == "stdio":
            judge_stdio()
        else:
            judge_function_or_class()
    except TimeLimit:
        emit(t="fatal", stage="harness", reason="timeout")
    emit(t="done")
    CHANNEL.flush()
    os._exit(0)  # skip interpreter teardown: user objects' finalizers must not run after done


main()
