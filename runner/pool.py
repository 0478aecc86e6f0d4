"""Pre-started one-shot containers, so a submission does not wait for container creation.

A pooled container is still used for exactly one submission and then destroyed; the pool only
moves creation off the critical path and refills in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor

from .engine import Engine, Prepared

log = logging.getLogger(__name__)


class WarmPool:
    def __init__(
        self,
        engine: Engine,
        size: int,
        executor: Executor,
        dispose: Callable[[Prepared], None],
        parallel: int = 2,
        idle_seconds: float = 60.0,
    ) -> None:
        self.engine = engine
        self.size = size
        self.idle_seconds = idle_seconds
        self.parallel = max(1, parallel)
        self._executor = executor
        self._dispose = dispose
        self._ready: deque[Prepared] = deque()
        self._wake = asyncio.Event()
        self._closed = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.size > 0 and self._task is None:
            self._task = asyncio.create_task(self._refill(), name="sandbox-pool-refill")

    def take(self) -> Prepared | None:
        """A ready container, or None if the pool is empty (the caller then makes one)."""
        self._discard_stale()
        prepared = self._ready.popleft() if self._ready else None
        self._wake.set()
        return prepared

    def _discard_stale(self) -> None:
        """Containers near their idle limit end by themselves soon: replace them first."""
        while self._ready and not self._ready[0].fresh(self.idle_seconds):
            self._dispose(self._ready.popleft())

    @property
    def ready(self) -> int:
        return len(self._ready)

    def flush(self) -> None:
        """Drop every pooled container (after the engine restarted, they are all dead)."""
        while self._ready:
            self._dispose(self._ready.popleft())
        self._wake.set()

    async def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._task is not None:
            await self._task  # lets containers still being created come back and be disposed
            self._task = None
        self.flush()

    async def _refill(self) -> None:
        loop = asyncio.get_running_loop()
        backoff = 0.5
        while not self._closed:
            self._discard_stale()
            missing = self.size - len(self._ready)
            if missing <= 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):  # look at the ages now and then
                    await asyncio.wait_for(self._wake.wait(), self.idle_seconds / 8)
                continue
            batch = [
                loop.run_in_executor(self._executor, self.engine.prepare)
                for _ in range(min(missing, self.parallel))
            ]
            results = await asyncio.gather(*batch, return_exceptions=True)
            failed = False
            for result in results:
                if isinstance(result, Prepared):
                    if self._closed:
                        self._dispose(result)
                    else:
                        self._ready.append(result)
                else:
                    failed = True
                    log.warning("sandbox pool could not start a container: %s", result)
            if failed:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):  # back off; close() wakes it at once
                    await asyncio.wait_for(self._wake.wait(), backoff)
                backoff = min(backoff * 2, 30.0)
            else:
                backoff = 0.5
