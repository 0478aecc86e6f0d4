"""Prometheus metrics for the bot and the runner workers, and the endpoint that serves them.

Both processes expose the same families (each process counts what it saw: the bot's judge
latency includes the queue, a worker's does not). The AI tutor's families are defined here for
the tutor to increment: ``AI_CALLS.labels(kind="hint", outcome="ok").inc()`` and
``AI_TOKENS.labels(direction="input").inc(n)``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram, start_http_server

from runner import (
    JudgeSpec,
    RunResult,
    RunStatus,
    SandboxLimits,
    SandboxUnavailable,
    Status,
    Verdict,
)

log = logging.getLogger(__name__)

VERDICTS = Counter("pydojo_verdicts", "Judged submissions, by verdict status.", ["status"])
JUDGE_SECONDS = Histogram(
    "pydojo_judge_seconds",
    "From submission to verdict (through the queue, if any).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
RUNS = Counter("pydojo_runs", "Free-form runs (/run), by status.", ["status"])
SANDBOX_ERRORS = Counter(
    "pydojo_sandbox_errors",
    "Jobs that ended in sandbox_error (never the learner's fault).",
    ["operation"],
)
QUEUE_DEPTH = Gauge("pydojo_queue_depth", "Submissions waiting for a sandbox slot or a worker.")
QUEUE_WAIT_SECONDS = Histogram(
    "pydojo_queue_wait_seconds",
    "How long a job waited in the queue before a worker took it.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
JOBS_IN_FLIGHT = Gauge("pydojo_jobs_in_flight", "Jobs this process is executing right now.")
WORKERS = Gauge("pydojo_queue_workers", "Runner workers alive on the queue (as the bot sees it).")
LOOP_LAG_SECONDS = Histogram(
    "pydojo_event_loop_lag_seconds",
    "How late the event loop wakes up (blocking work shows here).",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
HEARTBEAT = Gauge(
    "pydojo_event_loop_heartbeat_timestamp_seconds",
    "When the event loop last woke up (the container health check reads it).",
)
AI_CALLS = Counter(
    "pydojo_ai_calls", "Requests to the AI tutor, by kind and outcome.", ["kind", "outcome"]
)
AI_TOKENS = Counter("pydojo_ai_tokens", "Tokens the AI tutor used, input or output.", ["direction"])


def serve_metrics(port: int, host: str = "127.0.0.1") -> bool:
    """Start the /metrics endpoint in a thread; False (logged) if the port is taken."""
    try:
        start_http_server(port, addr=host)
    except OSError as exc:
        log.warning("metrics endpoint %s:%d not started: %s", host, port, exc)
        return False
    log.info("metrics on http://%s:%d/metrics", host, port)
    return True


async def watch_event_loop(interval: float = 0.25) -> None:
    """Record how late each wake-up is, forever (run it as a task)."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(interval)
        LOOP_LAG_SECONDS.observe(max(0.0, loop.time() - started - interval))
        HEARTBEAT.set_to_current_time()


class MeteredSandbox:
    """Any runner (in-process or queue) with verdicts, latency and sandbox errors counted."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        QUEUE_DEPTH.set_function(lambda: inner.queue_depth)
        if hasattr(inner, "workers_alive"):
            WORKERS.set_function(lambda: inner.workers_alive or 0)

    @property
    def limits(self) -> SandboxLimits:
        return self.inner.limits

    @property
    def python_version(self) -> str | None:
        return self.inner.python_version

    @property
    def queue_depth(self) -> int:
        return self.inner.queue_depth

    def is_busy(self, owner: str) -> bool:
        return self.inner.is_busy(owner)

    async def ahead_of(self, owner: str) -> int | None:
        """Submissions waiting ahead of ``owner``'s (queue mode), else None."""
        ahead: Callable[[str], Any] | None = getattr(self.inner, "ahead_of", None)
        return await ahead(owner) if ahead is not None else None

    async def start(self) -> None:
        await self.inner.start()

    async def close(self) -> None:
        await self.inner.close()

    async def __aenter__(self) -> MeteredSandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def judge(self, source: str, spec: JudgeSpec, *, owner: str | None = None) -> Verdict:
        started = time.perf_counter()
        JOBS_IN_FLIGHT.inc()
        try:
            verdict: Verdict = await self.inner.judge(source, spec, owner=owner)
        finally:
            JOBS_IN_FLIGHT.dec()
        JUDGE_SECONDS.observe(time.perf_counter() - started)
        VERDICTS.labels(status=verdict.status.value).inc()
        if verdict.status is Status.SANDBOX_ERROR:
            SANDBOX_ERRORS.labels(operation="judge").inc()
        return verdict

    async def run(
        self, source: str, stdin: str = "", *, owner: str | None = None, python: str | None = None
    ) -> RunResult:
        JOBS_IN_FLIGHT.inc()
        try:
            result: RunResult = await self.inner.run(source, stdin, owner=owner, python=python)
        finally:
            JOBS_IN_FLIGHT.dec()
        RUNS.labels(status=result.status.value).inc()
        if result.status is RunStatus.SANDBOX_ERROR:
            SANDBOX_ERRORS.labels(operation="run").inc()
        return result

    async def outputs(self, source: str, spec: JudgeSpec) -> JudgeSpec:
        JOBS_IN_FLIGHT.inc()
        try:
            computed: JudgeSpec = await self.inner.outputs(source, spec)
            return computed
        except SandboxUnavailable:
            SANDBOX_ERRORS.labels(operation="outputs").inc()
            raise
        finally:
            JOBS_IN_FLIGHT.dec()
