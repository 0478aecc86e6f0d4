"""Choosing a problem: filters, what the learner solved or saw lately, and variety.

Two problems "feel alike" when their fingerprints (module, subtopic, problem type, difficulty,
tags) are similar; a candidate at or above ``REPEAT_SIMILARITY`` to a recent problem counts as a
repeat and is avoided while anything else is left.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from .loader import Curriculum
from .schema import Difficulty, Problem

REPEAT_SIMILARITY = 0.8
RECENT_WINDOW = 5  # how many of the latest problems the similarity check looks at
WEIGHTS = {"module": 0.15, "subtopic": 0.25, "type": 0.3, "difficulty": 0.1, "tag": 0.2}


def similarity(a: Problem, b: Problem) -> float:
    """0.0 (nothing shared) to 1.0 (same module, subtopic, type, difficulty and tags)."""
    same_module = a.module == b.module
    same_subtopic = same_module and a.subtopic == b.subtopic  # slugs are per module
    score = WEIGHTS["module"] * same_module
    score += WEIGHTS["subtopic"] * same_subtopic
    score += WEIGHTS["type"] * (same_subtopic and a.problem_type == b.problem_type)
    score += WEIGHTS["difficulty"] * (a.difficulty is b.difficulty)
    tags_a, tags_b = set(a.tags), set(b.tags)
    if tags_a or tags_b:
        score += WEIGHTS["tag"] * len(tags_a & tags_b) / len(tags_a | tags_b)
    else:
        score += WEIGHTS["tag"]
    return round(score, 6)


def pick_problem(
    curriculum: Curriculum,
    *,
    module: str | None = None,
    subtopic: str | None = None,
    difficulty: Difficulty | None = None,
    solved: Iterable[str] = (),
    recent: Sequence[str] = (),
    exclude: Iterable[str] = (),
    rng: random.Random | None = None,
) -> Problem | None:
    """A problem matching the filters, preferring in order: unsolved, not recently seen and not
    like a recent one; then unsolved and not recent; then not recent; then anything but the last
    one. ``recent`` lists problem ids, most recent first; ``exclude``d ones are never picked.
    Deterministic for a seeded ``rng``."""
    rng = rng or random.Random()
    excluded = set(exclude)
    candidates = [
        p for p in curriculum.select(module, subtopic, difficulty) if p.id not in excluded
    ]
    if not candidates:
        return None
    solved_ids = set(solved)
    recent_ids = set(recent)
    window = [p for pid in recent[:RECENT_WINDOW] if (p := curriculum.get(pid)) is not None]

    def fresh(p: Problem) -> bool:
        return all(similarity(p, r) < REPEAT_SIMILARITY for r in window)

    tiers = [
        [p for p in candidates if p.id not in solved_ids and p.id not in recent_ids and fresh(p)],
        [p for p in candidates if p.id not in solved_ids and p.id not in recent_ids],
        [p for p in candidates if p.id not in recent_ids],
        [p for p in candidates if not recent or p.id != recent[0]],
    ]
    for tier in tiers:
        if tier:
            return rng.choice(tier)
    return candidates[0]  # a single candidate that was also the last one: nothing else exists
