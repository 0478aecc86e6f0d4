"""Shared fixtures. Under CI (CI=true) a missing engine or server fails; elsewhere it skips loudly."""

from __future__ import annotations

import os
import warnings

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(problem: str | None, what: str) -> None:
    """Skip (laptop) or fail (CI) when a needed engine or server is missing."""
    if problem is None:
        return
    message = f"{what} unavailable: {problem}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    warnings.warn(f"SKIPPING: {message}", stacklevel=2)
    pytest.skip(f"SKIPPED — {message}")
