"""The `pydojo runner serve` process: a metered in-process runner behind a queue worker.

SIGTERM or SIGINT stops taking jobs, lets running ones finish (the grace period), cancels what is
left (their containers are killed and the jobs go back on the queue for another worker), then
closes the runner, which waits for every container to be removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal

from runner import Runner, SandboxUnavailable
from runner.queue import RunnerWorker
from runner.queue.redis import redact

from .logs import log_as_json
from .metrics import (
    QUEUE_DEPTH,
    QUEUE_WAIT_SECONDS,
    MeteredSandbox,
    serve_metrics,
    watch_event_loop,
)
from .settings import Settings

log = logging.getLogger(__name__)


def serve_runner(
    settings: Settings, *, concurrency: int | None = None, metrics_port: int | None = None
) -> int:
    if not settings.queue_url:
        print(
            "pydojo runner serve needs PYDOJO_QUEUE_URL (e.g. redis://localhost:6379/0): "
            "the queue the bot puts its jobs on"
        )
        return 2
    log_as_json(settings.log_level)
    port = metrics_port if metrics_port is not None else settings.runner_metrics_port
    if port is not None:
        serve_metrics(port, settings.metrics_host)
    return asyncio.run(_serve(settings, concurrency))


async def _serve(settings: Settings, concurrency: int | None) -> int:
    config = settings.runner_config()
    if concurrency is not None:
        config = dataclasses.replace(config, max_concurrency=concurrency)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    lag = asyncio.create_task(watch_event_loop())
    runner = Runner(config)
    sandbox = MeteredSandbox(runner)
    await sandbox.start()

    async def health() -> str | None:
        try:
            version = await asyncio.to_thread(runner.engine.check)
        except SandboxUnavailable as exc:
            return str(exc)
        if runner.python_version is None:
            runner.python_version = version  # the engine came up after this worker started
        return None

    worker = RunnerWorker(
        sandbox,
        settings.queue_url or "",
        name=settings.queue_name,
        concurrency=config.max_concurrency,
        image=config.image,
        grace_seconds=int(config.limits.wall_seconds + 15),
        on_wait=QUEUE_WAIT_SECONDS.observe,
        health=health,
    )
    QUEUE_DEPTH.set_function(lambda: worker.queue_depth)
    log.info(
        "runner worker starting: engine %s, image %s (Python %s), queue %s",
        config.docker_url or "from DOCKER_HOST or the local socket",
        config.image,
        sandbox.python_version or "unknown",
        redact(settings.queue_url or ""),
    )
    try:
        await worker.serve(stop)
    finally:
        await sandbox.close()  # waits until every container it made is removed
        lag.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await lag
    return 0
