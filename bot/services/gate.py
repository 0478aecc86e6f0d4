"""One sandbox job per learner at a time, a few seconds apart.

A job that arrives early waits its turn instead of being refused, so nothing a learner typed is
thrown away for being quick. Chat messages are *replaceable*: they carry an ``order`` (their
snowflake, i.e. when they were written), and while one waits, a newer one from the same learner
takes its place (``Superseded``), so a burst of pastes or edits is judged once, on the latest
code. Deliberate submissions (a modal, a free-form run) queue, up to a bound.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from .errors import Busy, Superseded

PRUNE_ABOVE = 1024  # lanes kept before idle ones are dropped


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0
    newest: int = -1  # order of the newest replaceable job seen
    finished_at: float = float("-inf")


class JobGate:
    def __init__(self, cooldown_seconds: float = 3.0, max_waiting: int = 2) -> None:
        self.cooldown = cooldown_seconds
        self.max_waiting = max_waiting
        self._lanes: dict[int, _Lane] = {}

    @asynccontextmanager
    async def slot(
        self, user_id: int, *, order: int | None = None, cooldown: float | None = None
    ) -> AsyncIterator[None]:
        """Run one job; ``order`` makes it replaceable by a newer one while it waits;
        ``cooldown`` replaces the gate's own (a server's setting)."""
        lane = self._lane(user_id)
        if order is None and lane.waiting >= self.max_waiting:
            raise Busy(lane.waiting)
        if order is not None:
            lane.newest = max(lane.newest, order)
        lane.waiting += 1
        try:
            await lane.lock.acquire()
        finally:
            lane.waiting -= 1
        ran = False
        try:
            gap = self.cooldown if cooldown is None else cooldown
            wait = lane.finished_at + gap - time.monotonic()
            if wait > 0 and not self._replaced(lane, order):
                await asyncio.sleep(wait)
            if self._replaced(lane, order):
                raise Superseded()
            ran = True
            yield
        finally:
            if ran:
                lane.finished_at = time.monotonic()
            lane.lock.release()

    @staticmethod
    def _replaced(lane: _Lane, order: int | None) -> bool:
        return order is not None and order < lane.newest

    def _lane(self, user_id: int) -> _Lane:
        if len(self._lanes) > PRUNE_ABOVE:
            idle_since = time.monotonic() - self.cooldown
            for key, lane in list(self._lanes.items()):
                if not lane.lock.locked() and not lane.waiting and lane.finished_at < idle_since:
                    del self._lanes[key]
        return self._lanes.setdefault(user_id, _Lane())
