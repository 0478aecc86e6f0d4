"""The wire between host and container: the payload going in, marked JSON events coming out."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from .limits import SandboxLimits
from .spec import JudgeSpec

# The container's only program: read one length-prefixed JSON payload from stdin, then run the
# harness it carries. Kept tiny because it is baked into every container's command line.
BOOTSTRAP = (
    "import sys,json\n"
    "n=int(sys.stdin.buffer.readline())\n"
    "p=json.loads(sys.stdin.buffer.read(n))\n"
    "exec(compile(p.pop('harness'),'<harness>','exec'),{'__name__':'harness','PAYLOAD':p})\n"
)
VALUE_CHARS = 1024 * 1024  # largest return value repr reported back (separate from output cap)


@cache
def harness_source() -> str:
    return files("runner").joinpath("harness.py").read_text(encoding="utf-8")


def _frame(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    return str(len(body)).encode() + b"\n" + body


def judge_payload(source: str, spec: JudgeSpec, limits: SandboxLimits, nonce: str) -> bytes:
    tests = [{"args": t.args, "calls": t.calls, "stdin": t.stdin} for t in spec.tests]
    return _frame(
        {
            "harness": harness_source(),
            "mode": "judge",
            "nonce": nonce,
            "source": source,
            "kind": spec.kind.value,
            "entry": spec.entry_point,
            "tests": tests,
            "test_seconds": limits.test_seconds,
            "output_bytes": limits.output_bytes,
            "value_chars": VALUE_CHARS,
        }
    )


def run_payload(source: str, stdin: str, limits: SandboxLimits, nonce: str) -> bytes:
    return _frame(
        {
            "harness": harness_source(),
            "mode": "run",
            "nonce": nonce,
            "source": source,
            "stdin": stdin,
            "test_seconds": limits.wall_seconds,
            "output_bytes": limits.output_bytes,
            "value_chars": VALUE_CHARS,
        }
    )


def new_nonce() -> str:
    return secrets.token_hex(8)


@dataclass
class EventReader:
    """Incrementally pulls marked events out of the container's stdout.

    The stream also carries whatever user code wrote straight to fd 1, so anything that is not a
    complete, well-formed marked line is ignored; a broken event is remembered as ``garbled``.
    """

    nonce: str
    events: list[dict[str, Any]] = field(default_factory=list)
    garbled: bool = False
    _buffer: bytes = b""

    @property
    def mark(self) -> bytes:
        return b"\x1e" + self.nonce.encode() + b" "

    def reset(self) -> None:
        self.events.clear()
        self.garbled = False
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[dict[str, Any]]:
        """Add bytes; return the events completed by them."""
        mark, new = self.mark, []
        self._buffer += chunk
        while True:
            start = self._buffer.find(mark)
            if start < 0:
                self._buffer = self._buffer[-(len(mark) - 1) :]
                break
            end = self._buffer.find(b"\n", start)
            if end < 0:
                self._buffer = self._buffer[start:]
                break
            line = self._buffer[start + len(mark) : end]
            self._buffer = self._buffer[end + 1 :]
            try:
                event = json.loads(line)
            except ValueError:
                self.garbled = True
                continue
            if isinstance(event, dict) and isinstance(event.get("t"), str):
                new.append(event)
            else:
                self.garbled = True
        self.events.extend(new)
        return new

    def strip_hello(self, stdout: bytes) -> bytes:
        """Run mode: the stdout the user's program produced, without the harness greeting."""
        mark = self.mark
        if stdout.startswith(mark):
            end = stdout.find(b"\n")
            return stdout[end + 1 :] if end >= 0 else b""
        return stdout
