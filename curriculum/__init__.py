"""The course: problem files, their schema, loading, variants and selection."""

from .loader import Curriculum, CurriculumError, default_curriculum, load_curriculum, load_problem
from .schema import Difficulty, Module, Problem
from .selection import pick_problem, similarity
from .variants import Variant, VariantCache, VariantText, materialise, variant_text

__all__ = [
    "Curriculum",
    "CurriculumError",
    "Difficulty",
    "Module",
    "Problem",
    "Variant",
    "VariantCache",
    "VariantText",
    "default_curriculum",
    "load_curriculum",
    "load_problem",
    "materialise",
    "pick_problem",
    "similarity",
    "variant_text",
]
