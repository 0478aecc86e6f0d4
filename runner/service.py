"""The async face of the runner: ``await runner.judge(source, spec)`` and ``runner.run(...)``.

Docker calls happen in worker threads; a semaphore bounds how many submissions run at once
(the rest queue); a warm pool hides container creation; every container is destroyed after its
one use, also when the awaiting task is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from .diagnostics import syntax_error
from .engine import Engine, Prepared, RawRun, SandboxUnavailable
from .image import DEFAULT_PYTHON, PYTHONS, image_tag
from .judging import build_verdict, summarise
from .limits import SandboxLimits
from .observed import REFERENCE_CAP, OutputsUnavailable, observed_spec, run_result
from .plan import Plan, plan_for
from .pool import WarmPool
from .protocol import LINE_SLACK, EventReader, JudgeJob, judge_job, run_payload
from .spec import JudgeSpec
from .verdict import ErrorDetail, RunResult, RunStatus, Status, Verdict

log = logging.getLogger(__name__)

DEFAULT_IMAGE = image_tag(DEFAULT_PYTHON)


def default_images() -> dict[str, str]:
    return {python: image_tag(python) for python in PYTHONS}


def default_concurrency() -> int:
    return max(2, os.cpu_count() or 2)


@dataclass(frozen=True)
class RunnerConfig:
    image: str = DEFAULT_IMAGE  # judges every submission (the default Python)
    # Images a `/run` may ask for by Python series; the default series uses `image`.
    images: dict[str, str] = field(default_factory=default_images)
    python: str = DEFAULT_PYTHON  # the series of `image`
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    pool_size: int = 2  # pre-started containers; 0 disables the pool
    # Submissions executing at once; more wait in a queue. A container's lifecycle costs the
    # engine about a third of a CPU-second, so more than one per core adds no throughput and
    # starves everything else on the machine.
    max_concurrency: int = field(default_factory=lambda: default_concurrency())
    docker_url: str | None = None  # None: DOCKER_HOST or the local socket
    # Orphans are reaped at start and then this often: a container whose creation the engine
    # finished after the request failed (the engine dropped mid-call) is nobody's to remove.
    reap_every_seconds: float = 600.0


class _Job:
    """One submission's container work, run in a worker thread, cancellable from the loop."""

    def __init__(
        self,
        runner: Runner,
        payload: bytes,
        reader: EventReader,
        wall_seconds: float,
        byte_cap: int,
        pooled: Prepared | None,
        engine: Engine,
    ) -> None:
        self.runner, self.payload, self.reader = runner, payload, reader
        self.wall_seconds, self.byte_cap = wall_seconds, byte_cap
        self.prepared = pooled
        self.engine = engine
        self.cancelled = False
        self._lock = threading.Lock()

    def __call__(self) -> RawRun:
        engine = self.engine
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
                prepared, self.payload, self.reader, self.wall_seconds, self.byte_cap
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
        self._engines = {self.config.python: self.engine}  # other series: made when asked for
        self._versions: dict[str, str] = {}  # their exact Python versions
        workers = max(1, self.config.max_concurrency)
        self._jobs = ThreadPoolExecutor(workers, thread_name_prefix="sandbox-job")
        self._background = ThreadPoolExecutor(workers + 2, thread_name_prefix="sandbox-bg")
        # Preparing payloads and reading results: CPU work, kept off the event loop.
        self._judging = ThreadPoolExecutor(workers, thread_name_prefix="sandbox-judge")
        self._slots = asyncio.Semaphore(workers)
        self._pool = WarmPool(
            self.engine,
            self.config.pool_size,
            self._background,
            self.dispose,
            parallel=workers,
            idle_seconds=self.limits.idle_seconds,
        )
        self._disposals: set[Future[None]] = set()
        self._disposals_lock = threading.Lock()
        self._owners: Counter[str] = Counter()
        self._waiting = 0
        self._started = False
        self._reaper: asyncio.Task[None] | None = None

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
        await asyncio.to_thread(_prestart, self._judging, workers)
        try:
            self.python_version = await asyncio.to_thread(self.engine.check)
            reaped = await asyncio.to_thread(self.engine.reap)
            if reaped:
                log.info("removed %d sandbox containers left by earlier processes", reaped)
        except SandboxUnavailable as exc:
            log.warning("sandbox unavailable at start: %s", exc)
        self._pool.start()
        self._reaper = asyncio.create_task(self._reap_now_and_then(), name="sandbox-reaper")

    async def _reap_now_and_then(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.config.reap_every_seconds)
            try:
                reaped = await loop.run_in_executor(self._background, self.engine.reap)
            except Exception as exc:  # an engine that is down now: the next round tries again
                log.warning("could not reap sandbox containers: %s", exc)
                continue
            if reaped:
                log.info("removed %d sandbox containers past their lifetime", reaped)

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        await self._pool.close()
        self._jobs.shutdown(wait=True)
        with self._disposals_lock:
            pending = list(self._disposals)
        for future in pending:
            await asyncio.wrap_future(future)
        self._background.shutdown(wait=True)
        self._judging.shutdown(wait=True)
        for engine in self._engines.values():
            await asyncio.to_thread(engine.remove_leftovers)
            engine.close()

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

    # -- the operations ------------------------------------------------------------------------

    async def judge(self, source: str, spec: JudgeSpec, *, owner: str | None = None) -> Verdict:
        """A verdict for every possible behaviour of ``source``; never raises for it."""
        source = strip_bom(source)
        limits = self.limits.for_problem(spec.test_seconds)
        problem = await self._syntax_error(source, None)
        if problem is not None:
            return self._verdict_without_run(Status.SYNTAX_ERROR, spec, problem, limits)
        loop = asyncio.get_running_loop()
        plan, job = await loop.run_in_executor(self._judging, _judge_job, source, spec, limits)
        reader = _reader(job, limits)
        try:
            raw = await self._execute(
                job.payload, reader, limits.wall_seconds, _byte_cap(job.caps, limits), owner
            )
        except SandboxUnavailable as exc:
            log.warning("sandbox error while judging: %s", exc)
            return self._sandbox_verdict(spec, str(exc), limits)
        return await loop.run_in_executor(
            self._judging, self._finish, spec, plan, job, source, raw, limits
        )

    def _finish(
        self,
        spec: JudgeSpec,
        plan: Plan,
        job: JudgeJob,
        source: str,
        raw: RawRun,
        limits: SandboxLimits,
    ) -> Verdict:
        if raw.python and self.python_version is None:
            self.python_version = raw.python
        if raw.unready:
            log.warning("the sandbox's interpreter did not start in time")
            return self._sandbox_verdict(spec, "the sandbox did not start in time", limits)
        try:
            return build_verdict(
                spec,
                plan,
                job,
                source,
                raw,
                limits,
                raw.python or self.python_version,
                self.limits.runtime,
            )
        except Exception:  # a judging bug must not cost the learner an attempt, nor the bot
            log.exception("could not judge a sandbox result")
            return self._sandbox_verdict(spec, "the judge could not read this result", limits)

    async def outputs(self, source: str, spec: JudgeSpec) -> JudgeSpec:
        """``spec`` with every test's expectation replaced by what ``source`` produces.

        Used to compute expected values from a trusted reference solution. Raises
        ``OutputsUnavailable`` if a test produces nothing usable, ``SandboxUnavailable`` if the
        sandbox is down.
        """
        source = strip_bom(source)
        limits = self.limits.for_problem(spec.test_seconds)
        problem = await self._syntax_error(source, None)
        if problem is not None:
            raise OutputsUnavailable(f"syntax error: {problem.traceback}")
        loop = asyncio.get_running_loop()
        plan, job = await loop.run_in_executor(
            self._judging, _judge_job, source, spec, limits, REFERENCE_CAP
        )
        reader = _reader(job, limits)
        raw = await self._execute(
            job.payload, reader, limits.wall_seconds, _byte_cap(job.caps, limits), None
        )
        return await loop.run_in_executor(self._judging, observed_spec, spec, plan, job, raw)

    async def run(
        self, source: str, stdin: str = "", *, owner: str | None = None, python: str | None = None
    ) -> RunResult:
        """Execute like an eval command; a result for every possible behaviour of ``source``.

        ``python``: a Python series other than the default (see ``PYTHONS``)."""
        source = strip_bom(source)
        limits = self.limits
        try:
            engine = self._engine_for(python)
            version = self.python_version
            if engine is not self.engine:
                version = self._versions.get(str(python)) or await asyncio.to_thread(engine.check)
                self._versions[str(python)] = version
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
        problem = await self._syntax_error(source, python)
        if problem is not None:
            return RunResult(
                status=RunStatus.ERROR,
                exit_code=1,
                stdout="",
                stderr=problem.traceback + "\n",
                truncated=False,
                duration_ms=0,
                message="the code has a syntax error",
                python_version=version,
                runtime=limits.runtime,
            )
        payload = run_payload(source, stdin, limits)
        reader = EventReader(max_line=8 * limits.output_bytes + LINE_SLACK)
        try:
            raw = await self._execute(
                payload,
                reader,
                limits.wall_seconds,
                16 * limits.output_bytes + LINE_SLACK,
                owner,
                engine,
            )
        except SandboxUnavailable as exc:
            log.warning("sandbox error while running: %s", exc)
            return RunResult(
                status=RunStatus.SANDBOX_ERROR,
                exit_code=None,
                stdout="",
                stderr="",
                truncated=False,
                duration_ms=0,
                message=str(exc),
            )
        if raw.unready:
            log.warning("the sandbox's interpreter did not start in time")
            return RunResult(
                status=RunStatus.SANDBOX_ERROR,
                exit_code=None,
                stdout="",
                stderr="",
                truncated=False,
                duration_ms=0,
                message="the sandbox did not start in time",
            )
        if raw.python and self.python_version is None and engine is self.engine:
            self.python_version = raw.python
        return run_result(raw, limits, raw.python or version)

    def _engine_for(self, python: str | None) -> Engine:
        if python is None or python == self.config.python:
            return self.engine
        if python not in self.config.images:
            raise SandboxUnavailable(
                f"no sandbox for Python {python}; choose one of {', '.join(self.config.images)}"
            )
        if python not in self._engines:
            self._engines[python] = Engine(
                self.config.images[python], self.limits, self.config.docker_url, max_connections=4
            )
        return self._engines[python]

    async def _syntax_error(self, source: str, python: str | None) -> ErrorDetail | None:
        """Compiled in a worker thread: some 64 KiB sources take the compiler half a second
        (one f-string of 20,000 fields), which would stall the event loop."""
        if not self._compiles_on_host(python):
            return None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._judging, syntax_error, source)

    def _compiles_on_host(self, python: str | None) -> bool:
        """The host can find syntax errors only for its own Python series; newer syntax is for
        the sandbox's interpreter to judge."""
        series = python or self.config.python
        return series == f"{sys.version_info[0]}.{sys.version_info[1]}"

    # -- internals -----------------------------------------------------------------------------

    def _sandbox_verdict(self, spec: JudgeSpec, message: str, limits: SandboxLimits) -> Verdict:
        detail = ErrorDetail(type="SandboxError", message=message, traceback=message)
        return self._verdict_without_run(Status.SANDBOX_ERROR, spec, detail, limits)

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
            runtime=limits.runtime,
        )
        verdict.summary = summarise(verdict, limits)
        return verdict

    async def _execute(
        self,
        payload: bytes,
        reader: EventReader,
        wall_seconds: float,
        byte_cap: int,
        owner: str | None,
        engine: Engine | None = None,
    ) -> RawRun:
        if not self._started:
            await self.start()
        engine = engine or self.engine
        if owner is not None:
            self._owners[owner] += 1
        try:
            self._waiting += 1
            try:
                await self._slots.acquire()
            finally:
                self._waiting -= 1
            try:
                pooled = self._pool.take() if engine is self.engine else None
                try:
                    return await self._attempt(
                        payload, reader, wall_seconds, byte_cap, pooled, engine
                    )
                except SandboxUnavailable:
                    if pooled is None:
                        raise
                    # The pooled container may have died (an engine restart, its idle limit):
                    # drop the pool and try once with a fresh container before blaming the engine.
                    self._pool.flush()
                    reader.reset()
                    return await self._attempt(
                        payload, reader, wall_seconds, byte_cap, None, engine
                    )
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
        wall_seconds: float,
        byte_cap: int,
        pooled: Prepared | None,
        engine: Engine,
    ) -> RawRun:
        job = _Job(self, payload, reader, wall_seconds, byte_cap, pooled, engine)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._jobs, job)
        except asyncio.CancelledError:
            job.cancel()
            raise


def strip_bom(source: str) -> str:
    """Editors on Windows save a byte-order mark; Python source does not want one."""
    return source[1:] if source.startswith("\ufeff") else source


def _judge_job(
    source: str, spec: JudgeSpec, limits: SandboxLimits, cap: int | None = None
) -> tuple[Plan, JudgeJob]:
    plan = plan_for(spec, reference=cap is not None)
    return plan, judge_job(source, spec, plan, limits, cap=cap)


def _reader(job: JudgeJob, limits: SandboxLimits) -> EventReader:
    # JSON escaping of a learner's bytes can cost up to six characters each
    line = 6 * (max(job.caps, default=0) + limits.output_bytes) + LINE_SLACK
    return EventReader(max_line=line, max_events=4 * len(job.order) + 16)


def _byte_cap(caps: list[int], limits: SandboxLimits) -> int:
    return 6 * (sum(caps) + 2 * limits.output_bytes) + LINE_SLACK * (len(caps) + 4)
