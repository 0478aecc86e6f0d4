"""`pydojo runner serve`: a worker that owns a Docker engine and executes queued jobs.

The queue is saq on Redis. Each job runs through the ordinary in-process ``Runner`` (so judging
happens host-side exactly as in the single-process bot), at most ``concurrency`` at a time: the
runner's one-per-core rule. What saq provides and this module relies on:

- a job stays in saq's *active* list while it runs; a worker that dies stops touching it (the
  heartbeat below), another worker's sweep notices and retries it once (``retries=2``);
- on SIGTERM in-flight jobs get ``grace_seconds`` to finish; past that they are cancelled (the
  runner kills their containers) and go back on the queue for another worker;
- live workers advertise themselves (saq's worker info) with their Python and limits.

What this module adds is only supervision: when Redis goes away the worker stops taking jobs,
says so once, and reconnects with a backoff instead of spinning on errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from pydantic import ValidationError
from saq import Worker
from saq.queue.redis import RedisQueue

from ..engine import SandboxUnavailable
from ..limits import SandboxLimits
from ..observed import OutputsUnavailable
from ..spec import JudgeSpec
from ..verdict import RunResult, Verdict
from .jobs import DEFAULT_QUEUE_NAME, JobArgs, Operation, Reply, WorkerInfo
from .redis import REDIS_DOWN, make_queue, redact

log = logging.getLogger(__name__)

DEQUEUE_SECONDS = 1.0  # an idle worker's blocking pop returns this often (so shutdown is quick)
HEARTBEAT_SECONDS = 5  # a running job untouched this long belongs to a dead worker
SWEEP_SECONDS = 2  # how often live workers look for such jobs
INFO_SECONDS = 5  # how often a worker re-advertises itself (it vanishes INFO_SECONDS + 1 later)


class Sandbox(Protocol):
    """What a worker needs from the runner (``runner.Runner`` or a wrapper of it)."""

    python_version: str | None
    limits: SandboxLimits

    async def judge(self, source: str, spec: JudgeSpec, *, owner: str | None = None) -> Verdict: ...

    async def run(
        self, source: str, stdin: str = "", *, owner: str | None = None, python: str | None = None
    ) -> RunResult: ...

    async def outputs(self, source: str, spec: JudgeSpec) -> JudgeSpec: ...


class _SaqWorker(Worker):
    SIGNALS = []  # noqa: RUF012 — the serve loop owns SIGTERM/SIGINT, not saq


def worker_id() -> str:
    # no colons: saq splits its worker keys on them
    return f"{socket.gethostname()}-{os.getpid()}"


class RunnerWorker:
    def __init__(
        self,
        sandbox: Sandbox,
        url: str,
        *,
        name: str = DEFAULT_QUEUE_NAME,
        concurrency: int,
        image: str,
        grace_seconds: int = 20,
        on_wait: Callable[[float], None] | None = None,
        health: Callable[[], Awaitable[str | None]] | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.url = url
        self.name = name
        self.concurrency = max(1, concurrency)
        self.image = image
        self.grace_seconds = grace_seconds
        self.on_wait = on_wait
        # What is wrong with this worker's sandbox (engine down, image missing), or None. A
        # worker that cannot run jobs must not take them from the workers that can.
        self.health = health
        self.id = worker_id()
        self.queue_depth = 0  # jobs waiting in the queue, as last seen
        self.in_flight = 0
        self.connected = False

    # -- the job functions ---------------------------------------------------------------------

    async def judge(self, ctx: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
        return await self._handle(ctx, Operation.JUDGE, args)

    async def run(self, ctx: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
        return await self._handle(ctx, Operation.RUN, args)

    async def outputs(self, ctx: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
        return await self._handle(ctx, Operation.OUTPUTS, args)

    async def _handle(
        self, ctx: dict[str, Any], op: Operation, raw: dict[str, Any]
    ) -> dict[str, Any]:
        job = ctx["job"]
        if job.attempts == 1 and job.started and job.queued and self.on_wait is not None:
            self.on_wait(max(0.0, (job.started - job.queued) / 1000))
        try:
            args = JobArgs.model_validate(raw)
        except ValidationError as exc:
            return self._reply(sandbox_unavailable=f"malformed job: {exc.error_count()} errors")
        if args.give_up_at and time.time() > args.give_up_at:
            log.info("skipping job %s: nobody waits for it any more", job.key)
            return self._reply(expired=True)
        self.in_flight += 1
        try:
            async with self._heartbeat(job):
                return await self._execute(op, args)
        finally:
            self.in_flight -= 1

    async def _execute(self, op: Operation, args: JobArgs) -> dict[str, Any]:
        if op is Operation.RUN:
            run = await self.sandbox.run(args.source, args.stdin, python=args.python)
            return self._reply(run=run)
        if args.spec is None:
            return self._reply(sandbox_unavailable=f"malformed job: {op} needs a spec")
        if op is Operation.JUDGE:
            return self._reply(verdict=await self.sandbox.judge(args.source, args.spec))
        try:
            return self._reply(spec=await self.sandbox.outputs(args.source, args.spec))
        except OutputsUnavailable as exc:
            return self._reply(outputs_unavailable=str(exc))
        except SandboxUnavailable as exc:
            return self._reply(sandbox_unavailable=str(exc))

    def _reply(self, **fields: Any) -> dict[str, Any]:
        reply = Reply(worker=self.id, python_version=self.sandbox.python_version, **fields)
        return reply.model_dump(mode="json", exclude_defaults=True)

    @contextlib.asynccontextmanager
    async def _heartbeat(self, job: Any) -> AsyncIterator[None]:
        """Touch a long job now and then, so a sweep can tell it from one whose worker died."""

        async def beat() -> None:
            while True:
                await asyncio.sleep(HEARTBEAT_SECONDS / 3)
                with contextlib.suppress(*REDIS_DOWN):
                    await job.update()

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- serving -------------------------------------------------------------------------------

    def info(self) -> WorkerInfo:
        return WorkerInfo(
            id=self.id,
            host=socket.gethostname(),
            concurrency=self.concurrency,
            image=self.image,
            python_version=self.sandbox.python_version,
            limits=self.sandbox.limits,
        )

    def _saq_worker(self, queue: RedisQueue) -> Worker:
        functions = [(op.value, getattr(self, op.value)) for op in Operation]
        return _SaqWorker(
            queue,
            functions=functions,
            id=self.id,
            concurrency=self.concurrency,
            timers={"sweep": SWEEP_SECONDS, "worker_info": INFO_SECONDS, "abort": 1},
            dequeue_timeout=DEQUEUE_SECONDS,
            shutdown_grace_period_s=self.grace_seconds,
            metadata=self.info().model_dump(mode="json"),
        )

    async def serve(self, stop: asyncio.Event) -> None:
        """Take jobs until ``stop`` is set; ride out Redis outages by reconnecting."""
        backoff, said_down, said_sick = 0.5, False, ""
        where = redact(self.url)
        while not stop.is_set():
            problem = await self._problem()
            if problem:
                if problem != said_sick:
                    log.warning("not taking jobs: %s", problem)
                    said_sick = problem
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 5.0)
                continue
            if said_sick:
                log.info("sandbox available again")
                said_sick = ""
            queue = make_queue(self.url, self.name, blocking_seconds=DEQUEUE_SECONDS)
            try:
                await queue.connect()
                await queue.redis.ping()
            except REDIS_DOWN as exc:
                if not said_down:
                    log.warning(
                        "queue %s unreachable (%s); retrying until it answers",
                        where,
                        type(exc).__name__,
                    )
                    said_down = True
                await _quietly(queue.disconnect())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff, said_down = 0.5, False
            log.info(
                "worker %s taking jobs from %s (queue %r, %d at a time)",
                self.id,
                where,
                self.name,
                self.concurrency,
            )
            self.connected = True
            worker = self._saq_worker(queue)
            running = asyncio.create_task(worker.start())
            why = await self._watch(queue, stop, running)
            self.connected = False
            if why == "down":
                log.warning(
                    "lost the queue at %s; finishing running jobs, then reconnecting", where
                )
            elif why == "sick":
                log.warning("the sandbox failed; finishing running jobs, then pausing")
            worker.event.set()  # stop taking jobs; in-flight ones get the grace period
            with contextlib.suppress(Exception):
                await running
            await _quietly(queue.disconnect())
        log.info("worker %s stopped", self.id)

    async def _watch(
        self, queue: RedisQueue, stop: asyncio.Event, running: asyncio.Task[None]
    ) -> str:
        """Why serving should end: "stop", "down" (Redis lost), "sick" (no sandbox), "ended"."""
        stopping = asyncio.create_task(stop.wait())
        try:
            for tick in itertools.count(1):
                await asyncio.wait(
                    {stopping, running}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED
                )
                if stop.is_set():
                    return "stop"
                if running.done():
                    return "ended"
                try:
                    self.queue_depth = await queue.count("queued")
                except REDIS_DOWN:
                    return "down"
                if tick % 5 == 0 and await self._problem():
                    return "sick"
            return "ended"  # unreachable: the loop above only ends by returning
        finally:
            stopping.cancel()

    async def _problem(self) -> str | None:
        if self.health is None:
            return None
        try:
            return await self.health()
        except Exception as exc:  # a broken probe must not stop a working worker
            log.warning("sandbox health probe failed: %s", exc)
            return None


async def _quietly(awaitable: Any) -> None:
    with contextlib.suppress(Exception):
        await awaitable
