"""Reading the course from disk, once. A broken file is reported with its path and field."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .schema import Difficulty, Module, Problem

PROBLEMS_DIR = Path(__file__).parent / "problems"
MODULE_FILE = "module.toml"

M = TypeVar("M", bound=BaseModel)


class CurriculumError(Exception):
    """Files that cannot be used; each line names the file and the failing field."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _read(path: Path, model: type[M]) -> M:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CurriculumError([f"{path}: cannot read: {exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CurriculumError([f"{path}: not valid TOML: {exc}"]) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CurriculumError(
            f"{path}: {'.'.join(str(p) for p in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        ) from exc


def load_problem(path: Path) -> Problem:
    return _read(path, Problem)


@dataclass
class Curriculum:
    modules: dict[str, Module]  # in course order
    problems: dict[str, Problem]  # by id, in module then difficulty order
    paths: dict[str, Path] = field(default_factory=dict)
    # Verified model-written problems: found by id, never chosen by select() or counted in the
    # course; they are served only to learners who ask for something fresh.
    generated: dict[str, Problem] = field(default_factory=dict)

    def get(self, problem_id: str) -> Problem | None:
        return self.problems.get(problem_id) or self.generated.get(problem_id)

    def select(
        self,
        module: str | None = None,
        subtopic: str | None = None,
        difficulty: Difficulty | None = None,
    ) -> list[Problem]:
        return [
            p
            for p in self.problems.values()
            if (module is None or p.module == module)
            and (subtopic is None or p.subtopic == subtopic)
            and (difficulty is None or p.difficulty is difficulty)
        ]

    def subtopic_title(self, problem: Problem) -> str:
        return self.modules[problem.module].subtopics[problem.subtopic].title

    def path_of(self, problem: Problem) -> str:
        """ "Lists › Searching › Pair with target" for display."""
        module = self.modules[problem.module]
        subtopic = module.subtopics[problem.subtopic]
        kind = subtopic.types[problem.problem_type]
        return f"{module.title} › {subtopic.title} › {kind.title}"


def load_curriculum(root: Path = PROBLEMS_DIR, only: set[str] | None = None) -> Curriculum:
    """Every module (or the ``only`` ones) under ``root``; broken files are reported together."""
    errors: list[str] = []
    modules: dict[str, Module] = {}
    problems: dict[str, Problem] = {}
    paths: dict[str, Path] = {}
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        if only is not None and directory.name not in only:
            continue
        module_path = directory / MODULE_FILE
        if not module_path.is_file():
            errors.append(f"{directory}: missing {MODULE_FILE}")
            continue
        try:
            module = _read(module_path, Module)
        except CurriculumError as exc:
            errors += exc.problems
            continue
        if module.id != directory.name:
            errors.append(f"{module_path}: id {module.id!r} must match the folder name")
        modules[module.id] = module
        for path in sorted(directory.glob("*.toml")):
            if path.name == MODULE_FILE:
                continue
            try:
                problem = load_problem(path)
            except CurriculumError as exc:
                errors += exc.problems
                continue
            errors += _placement_errors(path, problem, module)
            if problem.id in problems:
                errors.append(f"{path}: id {problem.id!r} already used by {paths[problem.id]}")
            problems[problem.id] = problem
            paths[problem.id] = path
    if errors:
        raise CurriculumError(errors)
    ordered_modules = dict(sorted(modules.items(), key=lambda item: (item[1].order, item[0])))
    rank = {name: i for i, name in enumerate(ordered_modules)}
    ordered = sorted(
        problems.values(), key=lambda p: (rank[p.module], p.difficulty.rank, p.subtopic, p.id)
    )
    return Curriculum(ordered_modules, {p.id: p for p in ordered}, paths)


def _placement_errors(path: Path, problem: Problem, module: Module) -> list[str]:
    errors = []
    if path.stem != problem.id:
        errors.append(f"{path}: id {problem.id!r} must match the file name")
    if problem.module != module.id:
        errors.append(f"{path}: module {problem.module!r} but the file is in {module.id}/")
    subtopic = module.subtopics.get(problem.subtopic)
    if subtopic is None:
        errors.append(f"{path}: subtopic {problem.subtopic!r} is not declared in {MODULE_FILE}")
    elif problem.problem_type not in subtopic.types:
        errors.append(
            f"{path}: problem_type {problem.problem_type!r} is not declared under "
            f"subtopic {problem.subtopic!r} in {MODULE_FILE}"
        )
    return errors


@cache
def default_curriculum() -> Curriculum:
    """The shipped course, parsed once per process."""
    return load_curriculum()
