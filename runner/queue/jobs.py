"""What travels through the queue: job arguments and replies, as pydantic models (JSON on Redis).

A job carries the source and the judge spec; the worker judges host-side with the in-process
``Runner`` and replies with the verdict. The bot validates every reply against these models, so
a malformed or hostile reply becomes a ``sandbox_error`` and never an exception.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from ..limits import SandboxLimits
from ..spec import JudgeSpec
from ..verdict import RunResult, Verdict

DEFAULT_QUEUE_NAME = "pydojo"


class Operation(StrEnum):
    """The worker functions, by the name saq dispatches on."""

    JUDGE = "judge"
    RUN = "run"
    OUTPUTS = "outputs"


class JobArgs(BaseModel):
    """One job's arguments. ``give_up_at`` (epoch seconds) is when nobody waits any longer: a
    worker that picks the job up later skips it instead of spending a container on it."""

    source: str
    spec: JudgeSpec | None = None  # judge and outputs
    stdin: str = ""  # run
    python: str | None = None  # run: another Python series than the worker's default
    give_up_at: float = 0.0


class Reply(BaseModel):
    """A worker's answer: exactly one of the fields is set."""

    verdict: Verdict | None = None
    run: RunResult | None = None
    spec: JudgeSpec | None = None  # outputs: the spec with what the reference produced
    outputs_unavailable: str | None = None  # the reference solution failed; why
    sandbox_unavailable: str | None = None  # the worker's engine or image failed; the remedy
    expired: bool = False  # picked up after the bot gave up: not executed
    worker: str = ""
    python_version: str | None = None


class WorkerInfo(BaseModel):
    """What a live worker advertises (saq's worker metadata), for `pydojo doctor` and the bot."""

    id: str
    host: str
    concurrency: int = Field(ge=1)
    image: str
    python_version: str | None = None
    limits: SandboxLimits | None = None
