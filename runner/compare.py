"""Host-side comparison of what the user's code produced with what was expected."""

from __future__ import annotations

import math
from typing import Any

from .spec import CompareOptions


def values_equal(expected: Any, got: Any, options: CompareOptions) -> bool:
    """Equality for judged return values.

    Lists and tuples are interchangeable (users return either); bools are not numbers here, so
    returning ``1`` where ``True`` is expected is wrong; floats may get a tolerance; a top-level
    list may be compared as a multiset.
    """
    if options.unordered and isinstance(expected, list | tuple) and isinstance(got, list | tuple):
        if len(expected) != len(got):
            return False
        remaining = list(got)
        for item in expected:
            for index, candidate in enumerate(remaining):
                if _equal(item, candidate, options.float_tolerance):
                    del remaining[index]
                    break
            else:
                return False
        return True
    return _equal(expected, got, options.float_tolerance)


def _equal(expected: Any, got: Any, tolerance: float | None) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    if isinstance(expected, list | tuple):
        return (
            isinstance(got, list | tuple)
            and len(expected) == len(got)
            and all(_equal(e, g, tolerance) for e, g in zip(expected, got, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(got, dict)
            and expected.keys() == got.keys()
            and all(_equal(v, got[k], tolerance) for k, v in expected.items())
        )
    if tolerance is not None and isinstance(expected, int | float) and isinstance(got, int | float):
        return math.isclose(expected, got, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(expected, float) and isinstance(got, float):
        return expected == got or (math.isnan(expected) and math.isnan(got))
    if isinstance(expected, set | frozenset) and isinstance(got, set | frozenset):
        return expected == got
    if type(expected) is not type(got) and not (
        isinstance(expected, int | float) and isinstance(got, int | float)
    ):
        return False
    return expected == got


def normalise_stdout(text: str) -> str:
    """Trailing whitespace per line and trailing blank lines never matter (judge0's rule)."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())
