"""The async face of the runner: ``await runner.judge(source, spec)`` and ``runner.run(...)``.

Docker calls happen in worker threads; a semaphore bounds how many submissions run at once
(the rest queue); a warm pool hides container creation; every container is destroyed after its
one use, also when the awaiting task is cancelled.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import syntax_error
from .engine import Engine, Prepared, RawRun, SandboxUnavailable
from .judging import build_verdict, summarise
from .limits import SandboxLimits
from .pool import WarmPool
from .protocol import VALUE_CHARS, EventReader, judge_payload, new_nonce, run_payload
from .spec import JudgeSpec
from .verdict import ErrorDetail, RunResult, RunStatus, Status, Verdict

log = logging.getLogger(__name__)

DEFAULT_IMAGE = "pydojo-sandbox:1"


class OutputsUnavailable(Exception):
    """A reference solution did not produce a value for every test."""


def default_concurrency() -> int:
    return max(2, os.cpu_count() or 2)


@dataclass(frozen=True)
class RunnerConfig:
    image: str = DEFAULT_IMAGE
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    pool_size: int = 2  # pre-started containers; 0 disables the pool
    # Submissions executing at once; more wait in a queue. A container's lifecycle costs the
    # engine about a third of a CPU-second, so more than one per core adds no throughput and
    # starves everything else on the machine.
    max_concurrency: int = field(default_factory=lambda: default_concurrency())
    docker_url: str | None = None  # None: DOCKER_HOST or the local socket


class _Job:
    """One submission's container work, run in a worker thread, cancellable from the loop."""

    def __init__(
        self,
        runner: Runner,
        payload: bytes,
        reader: EventReader,
        limits: SandboxLimits,
        byte_cap: int,
        judge: bool,
        pooled: Prepared | None,
    ) -> None:
        self.runner, self.payload, self.reader = runner, payload, reader
        self.limits, self.byte_cap, self.judge = limits, byte_cap, judge
        self.prepared = pooled
        self.cancelled = False
        self._lock = threading.Lock()

    def __call__(self) -> RawRun:
        engine = self.runner.engine
        try:
            with self._lock:
                if self.cancelled:
                    raise asyncio.CancelledError
                prepared = self.prepared
            if prepared is None:
                prepared = engine.prepare()
                with self._lock:
                    self.prepared = prepared
                    if self.cancelled:
                        raise asyncio.CancelledError
            return engine.execute(
                prepared, self.payload, self.reader, self.limits, self.byte_cap, self.judge
            )
        finally:
            self.release()

    def release(self) -> None:
        with self._lock:
            prepared, self.prepared = self.prepared, None
        if prepared is not None:
            self.runner.dispose(prepared)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
        self.release()  # killing the container ends the worker's read at once


def _prestart(executor: ThreadPoolExecutor, workers: int) -> None:
    """Start all ``workers`` threads of ``executor`` (it otherwise starts them lazily)."""
    if workers < 1:
        return
    barrier = threading.Barrier(workers)
    for future in [executor.submit(barrier.wait, 10) for _ in range(workers)]:
        future.result()


class Runner:
    def __init__(self, config: RunnerConfig | None = None) -> None:
        self.config = config or RunnerConfig()
        self.limits = self.config.limits
        self.engine = Engine(
            self.config.image,
            self.limits,
            self.config.docker_url,
            max_connections=2 * self.config.max_concurrency + 8,
        )
        self.python_version: str | None = None
        workers = max(1, self.config.max_concurrency)
        self._jobs = ThreadPoolExecutor(workers, thread_name_prefix="sandbox-job")
        self._background = ThreadPoolExecutor(workers + 2, thread_name_prefix="sandbox-bg")
        self._slots = asyncio.Semaphore(workers)
        self._pool = WarmPool(self.engine, self.config.pool_size, self._background, self.dispose,
                              parallel=workers)
        self._disposals: set[Future[None]] = set()
        self._disposals_lock = threading.Lock()
        self._owners: Counter[str] = Counter()
        self._waiting = 0
        self._started = False

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the engine and image, reap containers of dead processes, fill the pool.

        Never raises for an unavailable engine: submissions then get ``sandbox_error`` and the
        runner recovers by itself once the engine is back.
        """
        if self._started:
            return
        self._started = True
        # Threads are started now, while the machine is quiet: starting one under load blocks
        # the event loop until the new thread first gets scheduled.
        workers = max(1, self.config.max_concurrency)
        await asyncio.to_thread(_prestart, self._jobs, workers)
        await asyncio.to_thread(_prestart, self._background, workers + 2)
        try:
            self.python_version = await asyncio.to_thread(self.engine.check)
            reaped = await asyncio.to_thread(self.engine.reap)
            if reaped:
                log.info("removed %d sandbox containers left by earlier processes", reaped)
        except SandboxUnavailable as exc:
            log.warning("sandbox unavailable at start: %s", exc)
        self._pool.start()

    async def close(self) -> None:
        await self._pool.close()
        self._jobs.shutdown(wait=True)
        with self._disposals_lock:
            pending = list(self._disposals)
        for future in pending:
            await asyncio.wrap_future(future)
        self._background.shutdown(wait=True)
        self.engine.close()

    async def __aenter__(self) -> Runner:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def dispose(self, prepared: Prepared) -> None:
        """Destroy a used container in the background (thread-safe)."""
        prepared.close_stream()
        future = self._background.submit(self.engine.destroy, prepared.container)
        with self._disposals_lock:
            self._disposals.add(future)
        future.add_done_callback(self._forget_disposal)

    def _forget_disposal(self, future: Future[None]) -> None:
        with self._disposals_lock:
            self._disposals.discard(future)

    # -- what callers can see ------------------------------------------------------------------

    def is_busy(self, owner: str) -> bool:
        """True while ``owner`` (e.g. a user id) has a submission queued or running."""
        return self._owners[owner] > 0

    @property
    def queue_depth(self) -> int:
        return self._waiting

    @property
    def pool_ready(self) -> int:
        return self._pool.ready

    # -- the two operations --------------------------------------------------------------------

    async def judge(self, source: str, spec: JudgeSpec, *, owner: str | None = None) -> Verdict:
        limits = self.limits.for_problem(spec.test_seconds)
        problem = syntax_error(source)
        if problem is not None:
            return self._verdict_without_run(Status.SYNTAX_ERROR, spec, problem, limits)
        nonce = new_nonce()
        payload = judge_payload(source, spec, limits, nonce)
        byte_cap = 6 * (limits.output_bytes + len(spec.tests) * VALUE_CHARS) + 65536
        try:
            raw = await self._execute(payload, EventReader(nonce), limits, byte_cap, True, owner)
        except SandboxUnavailable as exc:
            detail = ErrorDetail(type="SandboxError", message=str(exc), traceback=str(exc))
            return self._verdict_without_run(Status.SANDBOX_ERROR, spec, detail, limits)
        if raw.reader is not None and raw.reader.garbled and not raw.finished:
            log.info("garbled harness output (user code wrote to the protocol stream)")
        return build_verdict(spec, source, raw, limits, self.python_version)

    async def outputs(self, source: str, spec: JudgeSpec) -> list[str]:
        """What ``source`` produces for each test (return value repr, or stdout for stdio).

        Used to compute expected values from a trusted reference solution; the specs's own
        ``expected`` fields are ignored. Raises ``OutputsUnavailable`` if any test fails to
        produce a value, ``SandboxUnavailable`` if the sandbox is down.
        """
        limits = self.limits.for_problem(spec.test_seconds)
        problem = syntax_error(source)
        if problem is not None:
            raise OutputsUnavailable(f"syntax error: {problem.traceback}")
        nonce = new_nonce()
        payload = judge_payload(source, spec, limits, nonce)
        byte_cap = 6 * (limits.output_bytes + len(spec.tests) * VALUE_CHARS) + 65536
        reader = EventReader(nonce)
        raw = await self._execute(payload, reader, limits, byte_cap, True, None)
        results = {e.get("i"): e for e in reader.events if "i" in e and e.get("t") != "start"}
        values = []
        for index in range(len(spec.tests)):
            event = results.get(index)
            if event is None or event.get("t") != "result" or event.get("cut"):
                raise OutputsUnavailable(f"test {index + 1}: {self._why_no_value(event, raw)}")
            values.append(str(event.get("value")))
        return values

    def _why_no_value(self, event: dict[str, Any] | None, raw: RawRun) -> str:
        """What stopped a reference solution, without comparing against placeholder values."""
        if event is None:
            fatal = next((e for e in (raw.reader.events if raw.reader else [])
                          if e.get("t") == "fatal"), None)
            if fatal is not None:
                return f"failed to load: {fatal.get('exc_only') or fatal.get('message')}"
            if raw.timed_out:
                return "time limit (the whole run)"
            if raw.oom:
                return "memory limit"
            return "no result (the program crashed or printed too much)"
        kind = event.get("t")
        if kind == "error":
            return f"{event.get('type')}: {event.get('message')}"
        if event.get("cut"):
            return "return value too large to report"
        return {"timeout": "time limit", "memory": "memory limit",
                "output": "output limit"}.get(str(kind), str(kind))

    async def run(self, source: str, stdin: str = "", *, owner: str | None = None) -> RunResult:
        limits = self.limits
        nonce = new_nonce()
        payload = run_payload(source, stdin, limits, nonce)
        reader = EventReader(nonce)
        try:
            raw = await self._execute(
                payload, reader, limits, limits.output_bytes + 256, False, owner
            )
        except SandboxUnavailable as exc:
            return RunResult(
                status=RunStatus.SANDBOX_ERROR,
                exit_code=None,
                stdout="",
                stderr="",
                truncated=False,
                duration_ms=0,
                message=str(exc),
            )
        out_bytes = reader.strip_hello(bytes(raw.stdout))[: limits.output_bytes]
        err_bytes = bytes(raw.stderr)[: max(0, limits.output_bytes - len(out_bytes))]
        stdout = out_bytes.decode("utf-8", "replace")
        stderr = err_bytes.decode("utf-8", "replace")
        status, message = RunStatus.OK, ""
        if raw.flooded:
            status = RunStatus.OUTPUT_LIMIT
            message = f"output stopped after {limits.output_bytes // 1024} KiB"
        elif raw.timed_out:
            status = RunStatus.TIMEOUT
            message = f"took longer than {limits.wall_seconds:g} s and was stopped"
        elif raw.oom:
            status = RunStatus.MEMORY
            message = f"used more than {limits.memory_mib} MiB and was stopped"
        elif raw.exit_code != 0:
            status = RunStatus.ERROR
            message = f"exited with status {raw.exit_code}"
        return RunResult(
            status=status,
            exit_code=raw.exit_code,
            stdout=stdout,
            stderr=stderr,
            truncated=raw.flooded,
            duration_ms=round(raw.duration * 1000),
            message=message,
        )

    # -- internals -----------------------------------------------------------------------------

    def _verdict_without_run(
        self, status: Status, spec: JudgeSpec, error: ErrorDetail, limits: SandboxLimits
    ) -> Verdict:
        verdict = Verdict(
            status=status,
            summary="",
            passed=0,
            total=len(spec.tests),
            tests=[],
            error=error,
            duration_ms=0,
            python_version=self.python_version,
        )
        verdict.summary = summarise(verdict, limits)
        return verdict

    async def _execute(
        self,
        payload: bytes,
        reader: EventReader,
        limits: SandboxLimits,
        byte_cap: int,
        judge: bool,
        owner: str | None,
    ) -> RawRun:
        if not self._started:
            await self.start()
        if owner is not None:
            self._owners[owner] += 1
        try:
            self._waiting += 1
            try:
                await self._slots.acquire()
            finally:
                self._waiting -= 1
            try:
                pooled = self._pool.take()
                try:
                    return await self._attempt(payload, reader, limits, byte_cap, judge, pooled)
                except SandboxUnavailable:
                    if pooled is None:
                        raise
                    # The pooled container may have died with an engine restart: drop the pool
                    # and try once with a fresh container before blaming the engine.
                    self._pool.flush()
                    reader.reset()
                    return await self._attempt(payload, reader, limits, byte_cap, judge, None)
            finally:
                self._slots.release()
        finally:
            if owner is not None:
                self._owners[owner] -= 1
                if self._owners[owner] <= 0:
                    del self._owners[owner]

    async def _attempt(
        self,
        payload: bytes,
        reader: EventReader,
        limits: SandboxLimits,
        byte_cap: int,
        judge: bool,
        pooled: Prepared | None,
    ) -> RawRun:
        job = _Job(self, payload, reader, limits, byte_cap, judge, pooled)
        loop = asyncio.get_running_loop()
        try:
            raw = await loop.run_in_executor(self._jobs, job)
        except asyncio.CancelledError:
            job.cancel()
            raise
        if self.python_version is None:
            self.python_version = self._python_from(reader)
        return raw

    @staticmethod
    def _python_from(reader: EventReader) -> str | None:
        hello = next((e for e in reader.events if e.get("t") == "hello"), None)
        return str(hello.get("python")) if hello else None
