"""Which difficulty fits a learner, from what they have solved (newcomers start at beginner)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import StatCounter
from curriculum import Difficulty

UNLOCK_AFTER = 3  # solves at one difficulty before the next one is offered by default


def fitting_difficulty(solved: Mapping[Difficulty, int]) -> Difficulty:
    for level in (Difficulty.BEGINNER, Difficulty.INTERMEDIATE):
        if solved.get(level, 0) < UNLOCK_AFTER:
            return level
    return Difficulty.ADVANCED


async def solved_by_difficulty(
    db: Database, user_id: int, module: str | None = None
) -> dict[Difficulty, int]:
    query = (
        select(StatCounter.difficulty, func.sum(StatCounter.solved))
        .where(StatCounter.user_id == user_id)
        .group_by(StatCounter.difficulty)
    )
    if module is not None:
        query = query.where(StatCounter.module == module)
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    return {Difficulty(level): int(count or 0) for level, count in rows}
