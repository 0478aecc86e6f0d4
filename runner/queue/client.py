"""The bot's side of the queue: the same async interface as ``runner.Runner``, over saq + Redis.

``judge``/``run``/``outputs`` enqueue a job and wait for its one reply. Every way of not getting
a proper reply ends in a ``sandbox_error`` (never an exception, never a hang):

- Redis unreachable for longer than ``outage_seconds`` → "the judge queue is unreachable";
- nobody picks the job up within ``pickup_seconds`` → the job is withdrawn, "the judge is busy";
- a worker dies mid-job → saq retries it once on a live worker; past ``active_seconds`` of
  running (or a second death) → "the judge stopped answering";
- a reply that does not validate against the models → "the judge sent back a malformed result".

Waiting uses Redis pub/sub notices (saq publishes each job's status on the job's own channel) for
speed, and re-reads the job every ``poll_seconds`` as the source of truth, so a missed notice
costs at most that much. Each call resolves exactly once, so a retried job is recorded once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from redis.asyncio.client import PubSub
from saq import Job, Status
from saq.job import TERMINAL_STATUSES

from ..engine import SandboxUnavailable
from ..judging import summarise
from ..limits import SandboxLimits
from ..observed import OutputsUnavailable
from ..spec import JudgeSpec
from ..verdict import ErrorDetail, RunResult, RunStatus, Verdict
from ..verdict import Status as VerdictStatus
from .jobs import DEFAULT_QUEUE_NAME, JobArgs, Operation, Reply, WorkerInfo
from .redis import REDIS_DOWN, make_queue, redact, redis_client
from .worker import HEARTBEAT_SECONDS, SWEEP_SECONDS

log = logging.getLogger(__name__)

# Why a queued job got no verdict, as the learner reads it (the verdict's summary).
BUSY = "The judge is busy: no worker was free in time."
UNREACHABLE = "The judge is unreachable right now."
STOPPED = "The judge stopped answering while running this."
MALFORMED = "The judge sent back a garbled result."
LOST = "The judge lost this submission."
NOT_COUNTED = " This attempt was not counted."
CLOSE_SECONDS = 5.0  # closing waits at most this long for each connection to let go


class JudgeUnavailable(Exception):
    """Why a queued job produced no reply (the message is meant for the learner)."""


@dataclass(frozen=True)
class QueueConfig:
    url: str
    name: str = DEFAULT_QUEUE_NAME
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    pickup_seconds: float = 30.0  # queued this long without a worker: "the judge is busy"
    outage_seconds: float = 2.0  # Redis unreachable this long: "unreachable"
    poll_seconds: float = 1.0  # re-read a waiting job this often, whatever the notices say
    result_ttl: int = 300  # seconds a finished job (and its key, for deduplication) is kept

    def job_seconds(self, limits: SandboxLimits) -> int:
        """How long one attempt may run on a worker before saq cancels it."""
        return int(limits.wall_seconds + 15)

    def active_seconds(self, limits: SandboxLimits) -> float:
        """How long an attempt may look active before we stop waiting for it: its own
        limit, plus what a sweep needs to notice a dead worker and requeue the job."""
        return self.job_seconds(limits) + HEARTBEAT_SECONDS + 2 * SWEEP_SECONDS + 10


@dataclass(frozen=True)
class QueueStats:
    queued: int
    active: int
    workers: list[WorkerInfo]


class QueueRunner:
    """Drop-in for ``runner.Runner`` in the bot when ``PYDOJO_QUEUE_URL`` is set."""

    def __init__(self, config: QueueConfig) -> None:
        self.config = config
        self.limits = config.limits
        self.python_version: str | None = None
        self.queue = make_queue(config.url, config.name)
        self._notices = _Notices(config.url, self.queue.job_id("*"))
        self._owners: Counter[str] = Counter()
        self._pending: dict[str, list[str]] = {}  # owner -> keys of their jobs in flight
        self._depth = 0
        self.workers_alive: int | None = None  # as of the last look (every few seconds)
        self._depth_task: asyncio.Task[None] | None = None
        self._started = False
        self._closing = False

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect and learn the workers' Python; never raises for a down Redis."""
        if self._started:
            return
        self._started = True
        await self.queue.connect()
        self._notices.start()
        self._depth_task = asyncio.create_task(self._watch_depth())
        try:
            await self._learn_from_workers()
        except REDIS_DOWN as exc:
            log.warning(
                "queue %s unreachable at start (%s); submissions get sandbox_error "
                "until it answers",
                redact(self.config.url),
                type(exc).__name__,
            )

    async def close(self) -> None:
        self._closing = True
        if self._depth_task is not None:
            self._depth_task.cancel()
            await asyncio.wait({self._depth_task}, timeout=CLOSE_SECONDS)
        await self._notices.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.queue.disconnect(), CLOSE_SECONDS)

    async def __aenter__(self) -> QueueRunner:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- what callers can see ------------------------------------------------------------------

    def is_busy(self, owner: str) -> bool:
        return self._owners[owner] > 0

    @property
    def queue_depth(self) -> int:
        """Jobs waiting for a worker (all bots' jobs), as of the last second."""
        return self._depth

    async def ahead_of(self, owner: str) -> int | None:
        """How many submissions wait ahead of ``owner``'s, or None when it is not waiting."""
        keys = self._pending.get(owner)
        if not keys:
            return None
        try:
            position = await self.queue.redis.lpos(
                self.queue.namespace("queued"), self.queue.job_id(keys[0])
            )
        except REDIS_DOWN:
            return None
        return None if position is None else int(position)

    async def stats(self) -> QueueStats:
        """Queue depth, jobs running and live workers (raises if Redis is down)."""
        info = await self.queue.info()
        workers = []
        for entry in info["workers"].values():
            with contextlib.suppress(ValidationError, TypeError):
                workers.append(WorkerInfo.model_validate(entry.get("metadata") or {}))
        return QueueStats(queued=info["queued"], active=info["active"], workers=workers)

    # -- the operations ------------------------------------------------------------------------

    async def judge(self, source: str, spec: JudgeSpec, *, owner: str | None = None) -> Verdict:
        limits = self.limits.for_problem(spec.test_seconds)
        try:
            reply = await self._submit(Operation.JUDGE, JobArgs(source=source, spec=spec), owner)
        except JudgeUnavailable as exc:
            return self._sandbox_verdict(str(exc), spec, limits)
        if reply.verdict is None:
            return self._sandbox_verdict(reply.sandbox_unavailable or MALFORMED, spec, limits)
        if reply.verdict.python_version:
            self.python_version = reply.verdict.python_version
        return reply.verdict

    async def run(
        self, source: str, stdin: str = "", *, owner: str | None = None, python: str | None = None
    ) -> RunResult:
        args = JobArgs(source=source, stdin=stdin, python=python)
        try:
            reply = await self._submit(Operation.RUN, args, owner)
        except JudgeUnavailable as exc:
            return _sandbox_run(str(exc))
        if reply.run is None:
            return _sandbox_run(reply.sandbox_unavailable or MALFORMED)
        return reply.run

    async def outputs(self, source: str, spec: JudgeSpec) -> JudgeSpec:
        """As ``Runner.outputs``: raises ``OutputsUnavailable`` or ``SandboxUnavailable``."""
        try:
            reply = await self._submit(Operation.OUTPUTS, JobArgs(source=source, spec=spec), None)
        except JudgeUnavailable as exc:
            raise SandboxUnavailable(str(exc)) from None
        if reply.outputs_unavailable is not None:
            raise OutputsUnavailable(reply.outputs_unavailable)
        if reply.spec is None or len(reply.spec.tests) != len(spec.tests):
            raise SandboxUnavailable(reply.sandbox_unavailable or MALFORMED)
        return reply.spec

    # -- internals -----------------------------------------------------------------------------

    async def _submit(self, op: Operation, args: JobArgs, owner: str | None) -> Reply:
        if not self._started:
            await self.start()
        limits = self.limits.for_problem(args.spec.test_seconds if args.spec else None)
        active = self.config.active_seconds(limits)
        # Past this nobody waits: one pickup wait and two attempts (the retry), with margin.
        give_up = self.config.pickup_seconds * 2 + active * 2
        args.give_up_at = time.time() + give_up
        key = uuid.uuid4().hex
        job = Job(
            op.value,
            kwargs={"args": args.model_dump(mode="json")},
            key=key,
            timeout=self.config.job_seconds(limits),
            heartbeat=HEARTBEAT_SECONDS,
            retries=2,
            ttl=self.config.result_ttl,
        )
        if owner is not None:
            self._owners[owner] += 1
            self._pending.setdefault(owner, []).append(key)
        try:
            notices = self._notices.subscribe(key)
            try:
                done = await self._wait(job, notices, active, time.monotonic() + give_up)
            finally:
                self._notices.unsubscribe(key)
        finally:
            if owner is not None:
                self._owners[owner] -= 1
                if self._owners[owner] <= 0:
                    del self._owners[owner]
                self._pending[owner].remove(key)
                if not self._pending[owner]:
                    del self._pending[owner]
        return self._reply_of(done)

    async def _wait(
        self, job: Job, notices: asyncio.Event, active_seconds: float, deadline: float
    ) -> Job:
        """Enqueue ``job`` and follow it to a terminal state (or raise ``JudgeUnavailable``)."""
        await self._redis(lambda: self.queue.enqueue(job))
        loop = asyncio.get_running_loop()
        status, since = Status.QUEUED, loop.time()
        try:
            while True:
                current = await self._redis(lambda: self.queue.job(job.key))
                if current is None:
                    raise JudgeUnavailable(LOST)
                if current.status in TERMINAL_STATUSES:
                    return current
                if current.status != status:
                    status, since = current.status, loop.time()
                now = loop.time()
                if status == Status.QUEUED and now - since > self.config.pickup_seconds:
                    await self._withdraw(current, "nobody picked it up")
                    raise JudgeUnavailable(BUSY)
                if status != Status.QUEUED and now - since > active_seconds:
                    await self._withdraw(current, "no answer from its worker")
                    raise JudgeUnavailable(STOPPED)
                if time.monotonic() > deadline:
                    await self._withdraw(current, "took too long overall")
                    raise JudgeUnavailable(STOPPED)
                notices.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(notices.wait(), self.config.poll_seconds)
        except asyncio.CancelledError:
            # The caller gave up (e.g. the bot is shutting down): take the job back if we can.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._withdraw(job, "cancelled")), 2)
            raise

    async def _withdraw(self, job: Job, why: str) -> None:
        """Abort a job nobody will wait for (a worker running it cancels it and its container)."""
        log.info("withdrawing job %s: %s", job.key, why)
        with contextlib.suppress(*REDIS_DOWN):
            await self.queue.abort(job, error=why)

    async def _redis(self, call: Any) -> Any:
        """``await call()``, retried while Redis is down for up to ``outage_seconds``."""
        give_up = time.monotonic() + self.config.outage_seconds
        while True:
            try:
                return await call()
            except REDIS_DOWN as exc:
                if time.monotonic() >= give_up:
                    log.warning("queue unreachable: %s", type(exc).__name__)
                    raise JudgeUnavailable(UNREACHABLE) from None
                await asyncio.sleep(0.2)

    def _reply_of(self, job: Job) -> Reply:
        if job.status != Status.COMPLETE:
            log.warning("job %s ended %s: %s", job.key, job.status, (job.error or "")[-300:])
            return Reply(sandbox_unavailable=STOPPED)
        try:
            reply = Reply.model_validate(job.result)
        except ValidationError as exc:
            log.warning("job %s: malformed reply (%d errors)", job.key, exc.error_count())
            return Reply(sandbox_unavailable=MALFORMED)
        if reply.expired:
            return Reply(sandbox_unavailable=BUSY)
        if reply.python_version:
            self.python_version = reply.python_version
        return reply

    def _sandbox_verdict(self, message: str, spec: JudgeSpec, limits: SandboxLimits) -> Verdict:
        verdict = Verdict(
            status=VerdictStatus.SANDBOX_ERROR,
            summary="",
            passed=0,
            total=len(spec.tests),
            tests=[],
            duration_ms=0,
            python_version=self.python_version,
            error=ErrorDetail(type="SandboxError", message=message, traceback=message),
        )
        ours = message in (BUSY, UNREACHABLE, STOPPED, MALFORMED, LOST)
        verdict.summary = message + NOT_COUNTED if ours else summarise(verdict, limits)
        return verdict

    async def _learn_from_workers(self) -> None:
        stats = await self.stats()
        for worker in stats.workers:
            if worker.python_version and self.python_version is None:
                self.python_version = worker.python_version
            if worker.limits is not None:
                self.limits = worker.limits
        if not stats.workers and self.workers_alive != 0:
            log.warning(
                "no runner workers are alive on queue %r; start `pydojo runner serve`",
                self.config.name,
            )
        self.workers_alive = len(stats.workers)

    async def _watch_depth(self) -> None:
        for tick in itertools.count():
            if self._closing:  # a cancel swallowed by a Redis read must not keep this alive
                return
            with contextlib.suppress(*REDIS_DOWN):
                self._depth = await self.queue.count("queued")
                if tick % 5 == 0:
                    await self._learn_from_workers()
            await asyncio.sleep(1.0)


def _sandbox_run(message: str) -> RunResult:
    return RunResult(
        status=RunStatus.SANDBOX_ERROR,
        exit_code=None,
        stdout="",
        stderr="",
        truncated=False,
        duration_ms=0,
        message=message,
    )


class _Notices:
    """Status notices for the jobs being waited on, from one pattern subscription.

    A hint only: waiters re-read the job when poked and at least every poll interval, so a
    notice lost to a reconnect delays an answer by one interval at most.
    """

    def __init__(self, url: str, pattern: str) -> None:
        self.url = url
        self.pattern = pattern
        self.prefix = pattern.rstrip("*")
        self._events: dict[str, asyncio.Event] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._listen())

    async def close(self) -> None:
        # A cancel that lands inside redis-py's own read timeout can be swallowed (the read
        # just returns nothing), so the loop also stops on a flag, and closing waits boundedly.
        self._stopping = True
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=CLOSE_SECONDS)
        if not done:
            log.warning("the queue's notice listener did not stop within %s s", CLOSE_SECONDS)
        elif not task.cancelled() and task.exception() is not None:
            log.warning("the queue's notice listener failed: %r", task.exception())

    def subscribe(self, key: str) -> asyncio.Event:
        event = self._events[key] = asyncio.Event()
        return event

    def unsubscribe(self, key: str) -> None:
        self._events.pop(key, None)

    async def _listen(self) -> None:
        backoff = 0.2
        while not self._stopping:
            client = redis_client(self.url)
            pubsub: PubSub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(self.pattern)
                backoff = 0.2
                for event in list(self._events.values()):
                    event.set()  # anything may have happened while we were not listening
                while not self._stopping:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    channel = message.get("channel", b"")
                    if isinstance(channel, bytes):
                        channel = channel.decode("utf-8", "replace")
                    event = self._events.get(channel[len(self.prefix) :])
                    if event is not None:
                        event.set()
            except REDIS_DOWN:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pubsub.aclose(), CLOSE_SECONDS)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.aclose(), CLOSE_SECONDS)
