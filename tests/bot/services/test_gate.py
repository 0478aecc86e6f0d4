"""The per-learner job gate: early jobs wait instead of failing; a waiting chat message gives
way to a newer one; deliberate submissions queue up to a bound."""

from __future__ import annotations

import asyncio

import pytest

from bot.services.errors import Busy, Superseded
from bot.services.gate import JobGate


async def job(
    gate: JobGate,
    user: int,
    log: list[str],
    name: str,
    *,
    order: int | None = None,
    hold: asyncio.Event | None = None,
) -> str:
    try:
        async with gate.slot(user, order=order):
            log.append(f"start {name}")
            if hold is not None:
                await hold.wait()
            log.append(f"end {name}")
    except Superseded:
        return f"{name} superseded"
    except Busy:
        return f"{name} busy"
    return f"{name} ran"


async def test_jobs_of_one_learner_run_one_at_a_time_in_order() -> None:
    gate, log, hold = JobGate(cooldown_seconds=0), [], asyncio.Event()
    first = asyncio.create_task(job(gate, 1, log, "a", hold=hold))
    await asyncio.sleep(0)
    second = asyncio.create_task(job(gate, 1, log, "b"))
    other = asyncio.create_task(job(gate, 2, log, "other"))  # another learner is not held up
    await asyncio.sleep(0.01)
    assert log == ["start a", "start other", "end other"]
    hold.set()
    assert await asyncio.gather(first, second, other) == ["a ran", "b ran", "other ran"]
    assert log.index("end a") < log.index("start b")


async def test_a_waiting_message_gives_way_to_a_newer_one() -> None:
    gate, log, hold = JobGate(cooldown_seconds=0), [], asyncio.Event()
    running = asyncio.create_task(job(gate, 1, log, "m1", order=1, hold=hold))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(job(gate, 1, log, f"m{n}", order=n)) for n in (3, 2, 4)]
    await asyncio.sleep(0.01)
    hold.set()
    results = await asyncio.gather(running, *waiting)
    # m1 was already running; of those waiting, the newest by order (m4) runs, not the last
    # to arrive, and the older ones are superseded.
    assert results == ["m1 ran", "m3 superseded", "m2 superseded", "m4 ran"]


async def test_deliberate_submissions_queue_up_to_a_bound() -> None:
    gate, log, hold = JobGate(cooldown_seconds=0, max_waiting=2), [], asyncio.Event()
    running = asyncio.create_task(job(gate, 1, log, "a", hold=hold))
    await asyncio.sleep(0)
    queued = [asyncio.create_task(job(gate, 1, log, name)) for name in "bc"]
    await asyncio.sleep(0)
    assert await job(gate, 1, log, "d") == "d busy"
    hold.set()
    assert await asyncio.gather(running, *queued) == ["a ran", "b ran", "c ran"]


@pytest.mark.parametrize("cooldown", [0.2])
async def test_an_early_job_waits_out_the_cooldown_instead_of_failing(cooldown: float) -> None:
    gate, log = JobGate(cooldown_seconds=cooldown), []
    assert await job(gate, 1, log, "a") == "a ran"
    assert await job(gate, 1, log, "b") == "b ran"  # waited, then ran
    assert log == ["start a", "end a", "start b", "end b"]
