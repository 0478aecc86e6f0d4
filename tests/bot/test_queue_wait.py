"""While a submission waits in the judge queue, the learner is told their place."""

from __future__ import annotations

import asyncio

import pytest

from bot.ui.queue_wait import position_text, while_queued


class Queue:
    """The queue's view of one waiting job: ``ahead`` shrinks as workers take jobs."""

    def __init__(self, places: list[int | None]) -> None:
        self.places = places
        self.asked: list[str] = []

    async def ahead_of(self, owner: str) -> int | None:
        self.asked.append(owner)
        return self.places.pop(0) if len(self.places) > 1 else self.places[0]


async def judged_after(queue: Queue, event: asyncio.Event) -> str:
    await event.wait()
    return "verdict"


async def test_positions_are_told_as_they_change_and_the_result_comes_back() -> None:
    queue = Queue([3, 3, 2, 0, None])
    told: list[int] = []
    done = asyncio.Event()

    async def tell(ahead: int) -> None:
        told.append(ahead)
        if ahead == 2:
            asyncio.get_running_loop().call_later(0.2, done.set)

    result = await while_queued(judged_after(queue, done), queue, 42, tell, every=0.01)
    assert result == "verdict"
    assert told == [3, 2]  # once per change; "0 ahead" (being judged) is not worth a message
    assert set(queue.asked) == {"42"}


async def test_without_a_queue_nothing_is_told() -> None:
    async def work() -> int:
        return 7

    async def tell(ahead: int) -> None:  # pragma: no cover - must not be called
        raise AssertionError

    assert await while_queued(work(), object(), 1, tell, every=0.01) == 7


async def test_a_failing_judge_still_raises_and_a_cancel_reaches_the_work() -> None:
    queue = Queue([None])

    async def broken() -> None:
        raise ValueError("judge broke")

    async def tell(ahead: int) -> None:
        raise AssertionError

    with pytest.raises(ValueError, match="judge broke"):
        await while_queued(broken(), queue, 1, tell, every=0.01)

    started, cancelled = asyncio.Event(), asyncio.Event()

    async def forever() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    waiting = asyncio.create_task(while_queued(forever(), queue, 1, tell, every=0.01))
    await started.wait()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert cancelled.is_set()


def test_position_text_reads_well() -> None:
    assert "1 submission ahead" in position_text(1)
    assert "4 submissions ahead" in position_text(4)
