"""Naming problems: one identity (problem id, variant seed), and finding problems and modules by
what a learner types — an id, or a title as the menus show it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from curriculum import Curriculum, Module, Problem, variant_text

from .errors import UnknownModule, UnknownProblem

SUGGESTIONS = 3


@dataclass(frozen=True)
class ProblemRef:
    """A problem as a learner sees it: which problem, and which variant of it."""

    problem_id: str
    seed: int = 0

    def __str__(self) -> str:
        return f"{self.problem_id}@{self.seed}"


def title_of(problem: Problem, seed: int = 0) -> str:
    """The title as the learner sees it: a template's placeholders filled for this variant."""
    return variant_text(problem, seed).title


def _key(text: str) -> str:
    """Lower case, punctuation and spacing ignored: "Sorting & Searching" ~ "sorting-searching"."""
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def find_module(curriculum: Curriculum, asked: str) -> Module:
    wanted = _key(asked)
    for module in curriculum.modules.values():
        if wanted in (_key(module.id), _key(module.title)):
            return module
    raise UnknownModule(asked, [m.title for m in curriculum.modules.values()])


def find_problem(curriculum: Curriculum, asked: str) -> Problem:
    found = curriculum.get(asked.strip())
    if found is not None:
        return found
    wanted = _key(asked)
    titles = {title_of(p): p for p in curriculum.problems.values()}
    for title, problem in titles.items():
        if wanted in (_key(problem.id), _key(title)):
            return problem
    # Ids as well as titles: someone who typed an id (a shell user, a pasted link) wants one back.
    names = [*titles, *curriculum.problems]
    near = difflib.get_close_matches(asked.strip(), names, n=SUGGESTIONS, cutoff=0.5)
    raise UnknownProblem(asked, near)
