"""Reading problem files. A broken file is reported with its path and the failing field."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from .schema import Problem

PROBLEMS_DIR = Path(__file__).parent / "problems"


class CurriculumError(Exception):
    """A problem file that cannot be used; the message names the file and the field."""


def load_problem(path: Path) -> Problem:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CurriculumError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CurriculumError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Problem.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        )
        raise CurriculumError(f"{path}: {problems}") from exc
