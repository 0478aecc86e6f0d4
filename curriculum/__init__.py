"""The course: problem files, their schema, loading and selection."""

from .loader import CurriculumError, load_problem
from .schema import Difficulty, Problem

__all__ = ["CurriculumError", "Difficulty", "Problem", "load_problem"]
