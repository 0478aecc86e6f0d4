"""Buttons of two problems pressed at the same moment by one learner: each answer is about the
problem its button showed, and the hint counts land on the problems they were asked for."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build_services
from bot.services.catalog import ProblemRef
from bot.services.practice import Where
from curriculum import Curriculum

from ..discord_harness import settings_for

WHERE = Where(context="dm")
LEARNER = 4242


async def test_hints_and_reveals_pressed_together_stay_with_their_problems(
    tmp_path: Path, course: Curriculum
) -> None:
    services = await build_services(settings_for(tmp_path), curriculum=course)
    flow = services.practice
    refs = [ProblemRef(pid, 0) for pid in sorted(course.problems)[:4]]
    try:
        for _ in range(3):
            hinted = await asyncio.gather(*(flow.hint(LEARNER, ref, WHERE) for ref in refs))
            assert [h.problem.id for h in hinted] == [r.problem_id for r in refs]
        # Every problem got its own hints, each asked for three times: none went to another
        # problem (which would then refuse... or allow a reveal it should not).
        for ref in refs:
            await flow.ensure_current(LEARNER, ref, WHERE)
            session, _, _ = await flow.current(LEARNER)
            assert session.hints_shown == 3, (ref, session.hints_shown)
        revealed = await asyncio.gather(*(flow.reveal(LEARNER, ref, WHERE) for ref in refs))
        assert [problem.id for problem, _, _ in revealed] == [r.problem_id for r in refs]
    finally:
        await services.close()
