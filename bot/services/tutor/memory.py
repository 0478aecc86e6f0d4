"""What the tutor remembers: the /ask conversation per learner and problem, and answers that
passed the checks, reused when the same question comes again (same problem, same code, same
verdict: same hint)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from sqlalchemy import delete, select

from bot.db import Database
from bot.db.models import AiCacheEntry, TutorMessage
from bot.services.clock import Clock, utc_now
from bot.services.users import lock_user

KEPT_MESSAGES = 40  # per learner and problem; older ones are dropped


class Conversation:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def history(self, user_id: int, problem_id: str, pairs: int) -> list[tuple[str, str]]:
        """The last ``pairs`` (question, answer) exchanges, oldest first."""
        if pairs <= 0:
            return []
        async with self.db.read() as session:
            rows = (
                await session.execute(
                    select(TutorMessage.role, TutorMessage.text)
                    .where(TutorMessage.user_id == user_id, TutorMessage.problem_id == problem_id)
                    .order_by(TutorMessage.id.desc())
                    .limit(pairs * 2)
                )
            ).all()
        rows.reverse()
        exchanges = []
        for index in range(len(rows) - 1):
            (role, text), (next_role, answer) = rows[index], rows[index + 1]
            if role == "learner" and next_role == "tutor":
                exchanges.append((text, answer))
        return exchanges[-pairs:]

    async def add(self, user_id: int, problem_id: str, question: str, answer: str) -> None:
        async with self.db.write() as session:
            now = self.clock()
            await lock_user(session, user_id, now)
            session.add(
                TutorMessage(
                    user_id=user_id,
                    problem_id=problem_id,
                    role="learner",
                    text=question,
                    created_at=now,
                )
            )
            session.add(
                TutorMessage(
                    user_id=user_id,
                    problem_id=problem_id,
                    role="tutor",
                    text=answer,
                    created_at=now,
                )
            )
            await session.flush()
            keep = (
                select(TutorMessage.id)
                .where(TutorMessage.user_id == user_id, TutorMessage.problem_id == problem_id)
                .order_by(TutorMessage.id.desc())
                .limit(KEPT_MESSAGES)
            )
            kept = list(await session.scalars(keep))
            if len(kept) == KEPT_MESSAGES:
                await session.execute(
                    delete(TutorMessage).where(
                        TutorMessage.user_id == user_id,
                        TutorMessage.problem_id == problem_id,
                        TutorMessage.id < min(kept),
                    )
                )


def cache_key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class AnswerCache:
    def __init__(self, db: Database, days: float, clock: Clock = utc_now) -> None:
        self.db = db
        self.max_age = timedelta(days=days)
        self.clock = clock

    async def get(self, key: str) -> AiCacheEntry | None:
        if not self.max_age:
            return None
        async with self.db.read() as session:
            entry = await session.get(AiCacheEntry, key)
        if entry is None or self.clock() - entry.created_at > self.max_age:
            return None
        return entry

    async def put(self, key: str, *, feature: str, problem_id: str, text: str, model: str) -> None:
        if not self.max_age:
            return
        async with self.db.write() as session:
            await session.execute(delete(AiCacheEntry).where(AiCacheEntry.key == key))
            session.add(
                AiCacheEntry(
                    key=key,
                    feature=feature,
                    problem_id=problem_id,
                    text=text,
                    model=model,
                    created_at=self.clock(),
                )
            )
