"""Putting the tutor together: the model (only with a key), the tutor and the fresh-problem
supply sharing one budget and usage log."""

from __future__ import annotations

from bot.db import Database
from bot.services.clock import Clock, utc_now
from bot.services.practice import PracticeFlow
from curriculum import Curriculum

from .config import TutorSettings
from .fresh import FreshProblems
from .model import GeminiModel, LanguageModel
from .service import Tutor
from .situation import Situations


def make_model(
    api_key: str | None, settings: TutorSettings, clock: Clock = utc_now
) -> LanguageModel | None:
    """The Gemini client when a key is configured; None (tutor off) otherwise."""
    key = (api_key or "").strip()
    return GeminiModel(key, settings, clock=clock) if key else None


def build_tutor(
    db: Database,
    curriculum: Curriculum,
    flow: PracticeFlow,
    model: LanguageModel | None,
    settings: TutorSettings,
    clock: Clock = utc_now,
) -> tuple[Tutor, FreshProblems]:
    """The tutor and the fresh-problem supply, sharing one model, budget and usage log.

    They use the flow's own runner (a ``RememberingJudge``, so the tutor sees the very verdicts
    learners were shown) and its variant cache (whose specs those verdicts are keyed by)."""
    runner, variants = flow.runner, flow.variants
    situations = Situations(db, curriculum, variants, runner)
    tutor = Tutor(db, runner, situations, flow, model, settings, clock)
    fresh = FreshProblems(
        db, curriculum, runner, variants, model, tutor.budget, tutor.usage, settings, clock
    )
    return tutor, fresh
