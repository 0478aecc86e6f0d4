"""The wire between host and container: the payload going in, marked JSON events coming out.

The container's command line carries the supervisor and the worker (``runner/sandbox/``); a
submission arrives on stdin as ``<length>\\n<json>``. What comes back is read as hostile data:
every line is bounded before it is parsed, and every event is validated against a strict model
(types, ranges, sizes); anything else makes the run ``garbled``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .limits import SandboxLimits
from .plan import Plan
from .spec import JudgeSpec, Kind

MARK = b"\x1e"
KEPT_STDOUT = 4000  # bytes of a test's output kept for display when output is not the answer
LINE_SLACK = 64 * 1024


@cache
def program(name: str) -> str:
    return files("runner").joinpath("sandbox", name).read_text(encoding="utf-8")


def command(idle_seconds: float) -> list[str]:
    """The container's command: the supervisor, its idle limit and the worker's source."""
    return [
        "python3",
        "-I",
        "-S",
        "-B",
        "-c",
        program("supervisor.py"),
        f"{idle_seconds:g}",
        program("encoding.py") + "\n\n" + program("worker.py"),
    ]


def _frame(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    return str(len(body)).encode() + b"\n" + body


def cpu_seconds(limits: SandboxLimits) -> int:
    return int(limits.wall_seconds) + 1


# The learner's address space: their memory limit plus what an idle interpreter maps.
INTERPRETER_MIB = 40


def worker_limits(limits: SandboxLimits) -> dict[str, int]:
    return {
        "cpu_seconds": cpu_seconds(limits),
        "memory_bytes": (limits.memory_mib + INTERPRETER_MIB) * 1024 * 1024,
    }


@dataclass(frozen=True)
class JudgeJob:
    payload: bytes
    order: list[int]  # the spec's test index for each position run (hidden tests shuffled)
    caps: list[int]


def judge_job(
    source: str,
    spec: JudgeSpec,
    plan: Plan,
    limits: SandboxLimits,
    rng: random.Random | None = None,
    cap: int | None = None,
) -> JudgeJob:
    """Visible tests first, in order; hidden tests in a fresh order every time, so which one
    fails first says nothing stable about it."""
    visible = [i for i, t in enumerate(spec.tests) if not t.hidden]
    hidden = [i for i, t in enumerate(spec.tests) if t.hidden]
    (rng or random.SystemRandom()).shuffle(hidden)
    order = visible + hidden
    keep = limits.output_bytes if spec.kind is Kind.STDIO or plan.keeps_output else KEPT_STDOUT
    caps = [cap if cap is not None else plan.tests[i].cap for i in order]
    payload = {
        "mode": "judge",
        "kind": spec.kind.value,
        "setup": {
            "mode": "judge",
            "source": source,
            "kind": spec.kind.value,
            "entry": spec.entry_point,
            **worker_limits(limits),
        },
        "tests": [plan.tests[i].request for i in order],
        "caps": caps,
        "keep": keep,
        "test_seconds": limits.test_seconds,
        "wall_seconds": limits.wall_seconds,
        "output_bytes": limits.output_bytes,
    }
    return JudgeJob(_frame(payload), order, caps)


def run_payload(source: str, stdin: str, limits: SandboxLimits) -> bytes:
    return _frame(
        {
            "mode": "run",
            "setup": {
                "mode": "run",
                "source": source,
                "stdin": stdin,
                **worker_limits(limits),
            },
            "wall_seconds": limits.wall_seconds,
            "output_bytes": limits.output_bytes,
        }
    )


# -- events --------------------------------------------------------------------------------------

Count = Annotated[int, Field(ge=0, le=1_000_000)]
Millis = Annotated[float, Field(ge=0, le=10_000_000)]
Code = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]


class _Event(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Hello(_Event):
    t: Literal["hello"]
    python: Annotated[str, Field(max_length=40)]


class Loaded(_Event):
    t: Literal["loaded"]
    frame: str  # the worker's own report: parsed later, as hostile


class Result(_Event):
    t: Literal["result"]
    i: Count
    ms: Millis
    steps: str
    stdout: str = ""


class Stopped(_Event):
    """The run ended early at test ``i`` (None: while loading)."""

    t: Literal["timeout", "wall", "output", "too_large", "invalid", "died", "unready"]
    i: Count | None = None
    ms: Millis | None = None
    code: Code | None = None
    signal: Annotated[int, Field(ge=0, le=128)] | None = None
    oom: bool = False
    stdout: str = ""
    stderr: str = ""
    why: Annotated[str, Field(max_length=400)] = ""


class Out(_Event):
    t: Literal["out"]
    fd: Literal[1, 2]
    data: str


class Exit(_Event):
    t: Literal["exit"]
    code: Code | None = None
    signal: Annotated[int, Field(ge=0, le=128)] | None = None
    oom: bool = False


class Done(_Event):
    t: Literal["done"]
    peak: Annotated[int, Field(ge=0)] | None = None


Event = Annotated[Hello | Loaded | Result | Stopped | Out | Exit | Done, Field(discriminator="t")]
EVENT = TypeAdapter(Event)


@dataclass
class EventReader:
    """Pulls marked events out of the container's stdout, bounded and validated.

    ``max_line`` caps one event's size before it is parsed; ``max_events`` their number.
    """

    max_line: int
    max_events: int = 100_000
    events: list[Any] = field(default_factory=list)
    garbled: bool = False
    _buffer: bytearray = field(default_factory=bytearray)

    def reset(self) -> None:
        self.events.clear()
        self.garbled = False
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> list[Any]:
        """Add bytes; return the events completed by them."""
        new: list[Any] = []
        self._buffer += chunk
        while not self.garbled:
            end = self._buffer.find(b"\n")
            if end < 0:
                if len(self._buffer) > self.max_line:
                    self.garbled = True
                break
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            if not line.startswith(MARK) or end > self.max_line:
                self.garbled = True
                break
            if len(self.events) + len(new) >= self.max_events:
                self.garbled = True
                break
            try:
                new.append(EVENT.validate_python(json.loads(line[1:])))
            except (ValueError, ValidationError, RecursionError):
                self.garbled = True
                break
        self.events.extend(new)
        return new
