"""Fixtures for curriculum tests: a temporary course folder and a problem writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.course_factory import write_problem


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    root = tmp_path / "problems"
    root.mkdir()
    return root


@pytest.fixture
def write(course_dir: Path) -> Callable[..., Path]:
    def writer(pid: str, **fields: str) -> Path:
        return write_problem(course_dir, pid, **fields)

    return writer
