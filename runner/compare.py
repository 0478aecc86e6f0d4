"""Host-side comparison of what the learner's code produced with what was expected.

The rules, per problem through ``CompareOptions``:
- container kinds are strict by default (a tuple is not a list, a set is not a list), and the
  verdict says so ("expected a list, got a tuple"); ``strict_containers = false`` lets lists
  and tuples stand for each other;
- numbers compare by value across int, float, Fraction, Decimal and complex (``2 == 2.0``), with
  an optional tolerance; ``True`` is never ``1``; ``strict_numbers`` makes the kind of number
  count too ("expected an int, got a float": ``/`` where ``//`` was meant);
- any mapping compares by its items (a ``Counter`` or ``defaultdict`` equal to the expected
  dict is right); sets and frozensets by their members;
- objects that are no plain value (instances, generators) equal nothing;
- ``unordered``: a returned list may come in any order.
"""

from __future__ import annotations

import cmath
import math
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .spec import CompareOptions
from .values import Opaque, crowded, type_name

NUMBERS = (int, float, Fraction, Decimal, complex)
QUADRATIC_LIMIT = 3000  # unordered lists compared pairwise (tolerance on non-numbers) only so far


class Mismatch(Exception):
    """Why two values differ, when it is more than "different values"."""

    def __init__(self, message: str, plain: str) -> None:
        super().__init__(message)
        self.plain = plain  # the same without paths or the program's own type names


PLAIN_KINDS = {"bool", "number", "dict", "set", "list", "tuple", "str", "bytes", "None"} | {
    kind.__name__
    for kind in NUMBERS  # strict_numbers: the base kind, never the program's own
}


def mismatch(expected: Any, got: Any, options: CompareOptions, plain: bool = False) -> str | None:
    """None when equal; otherwise an explanation ("" when the values simply differ).

    ``plain``: for a hidden test, the explanation holds nothing the program could choose (no
    type names of its own, no position), so it cannot carry the test's input out."""
    try:
        if options.unordered and _is_sequence(expected) and _is_sequence(got):
            _kinds(expected, got, options, "")
            return None if _same_multiset(expected, got, options) else ""
        return None if _equal(expected, got, options, "") else ""
    except Mismatch as exc:
        return exc.plain if plain else str(exc)
    except (RecursionError, MemoryError):
        return "the value is nested too deeply to compare"


def article(name: str) -> str:
    if name == "None":
        return "None"
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def _kind(value: Any, strict_numbers: bool = False) -> str:
    if isinstance(value, Opaque):
        return value.type_name + " object"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, NUMBERS):
        if strict_numbers:  # the base kind: an int subclass (an IntEnum) is still an int
            return next(kind.__name__ for kind in NUMBERS if isinstance(value, kind))
        return "number"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, set | frozenset):
        return "set"
    if isinstance(value, list):
        return "list"
    if isinstance(value, tuple):
        return "tuple"
    return type_name(value)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, list | tuple)


def _kinds(expected: Any, got: Any, options: CompareOptions, path: str) -> None:
    strict = options.strict_numbers
    want, have = _kind(expected, strict), _kind(got, strict)
    if want == have:
        return
    if not options.strict_containers and {want, have} <= {"list", "tuple"}:
        return
    where = f" at {path}" if path else ""
    wanted = "a number" if want == "number" else article(_shown_kind(expected, want))
    found = "a number" if have == "number" else article(_shown_kind(got, have))
    raise Mismatch(
        f"expected {wanted}{where}, got {found}", f"expected {_plain(want)}, got {_plain(have)}"
    )


def _plain(kind: str) -> str:
    if kind == "number":
        return "a number"
    return article(kind) if kind in PLAIN_KINDS else "an object of another type"


def _shown_kind(value: Any, kind: str) -> str:
    return type_name(value) if kind in ("bool", "dict", "set", "list", "tuple") else kind


def _equal(expected: Any, got: Any, options: CompareOptions, path: str) -> bool:
    _kinds(expected, got, options, path)
    if isinstance(got, Opaque):
        return False
    if isinstance(expected, bool):
        return expected == got
    if isinstance(expected, NUMBERS):
        return _numbers_equal(expected, got, options.float_tolerance)
    if isinstance(expected, list | tuple):
        if len(expected) != len(got):
            return False
        return all(
            _equal(e, g, options, f"{path}[{i}]")
            for i, (e, g) in enumerate(zip(expected, got, strict=True))
        )
    if isinstance(expected, dict):
        if len(expected) != len(got) or any(key not in got for key in expected):
            return False
        return all(_equal(v, got[k], options, f"{path}[{k!r}]") for k, v in expected.items())
    if isinstance(expected, set | frozenset):
        return frozenset(expected) == frozenset(got)
    if expected is None:
        return got is None
    return bool(expected == got)


def _numbers_equal(expected: Any, got: Any, tolerance: float | None) -> bool:
    try:
        if expected == got:
            return True
    except (TypeError, ArithmeticError):
        pass
    try:
        want, have = complex(expected), complex(got)
    except (OverflowError, ValueError, TypeError, ArithmeticError):
        return False
    if cmath.isnan(want) and cmath.isnan(have):
        return True
    if tolerance is None:
        return False
    try:
        return cmath.isclose(want, have, rel_tol=tolerance, abs_tol=tolerance)
    except (OverflowError, ValueError):
        return False


def _key(value: Any, options: CompareOptions) -> Any:
    """A hashable stand-in with the same equality as ``_equal`` (no tolerance)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, NUMBERS):
        kind = _kind(value, options.strict_numbers)
        try:
            return (
                kind,
                value if not isinstance(value, float) or not math.isnan(value) else "nan",
            )
        except TypeError:
            return (kind, repr(value))
    if isinstance(value, list | tuple):
        kind = "sequence" if not options.strict_containers else _kind(value)
        return (kind, tuple(_key(item, options) for item in value))
    if isinstance(value, dict):
        return ("dict", frozenset((k, _key(v, options)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(value))
    if isinstance(value, Opaque):
        return ("object", id(value))
    return (type(value).__name__, value)


def _same_multiset(expected: Any, got: Any, options: CompareOptions) -> bool:
    if len(expected) != len(got):
        return False
    tolerance = options.float_tolerance
    if tolerance is None:
        try:
            keys = [_key(g, options) for g in got]
            if crowded(keys):  # built to make counting quadratic: not the expected answer
                return False
            return Counter(_key(e, options) for e in expected) == Counter(keys)
        except TypeError:
            pass
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in [*expected, *got])
    if numbers and not options.strict_numbers:
        return all(
            _numbers_equal(e, g, tolerance)
            for e, g in zip(sorted(expected), sorted(got), strict=True)
        )
    if len(expected) > QUADRATIC_LIMIT:
        return False
    remaining = list(got)
    for item in expected:
        for index, candidate in enumerate(remaining):
            try:
                if _equal(item, candidate, options, ""):
                    del remaining[index]
                    break
            except Mismatch:
                continue
        else:
            return False
    return True


def normalise_stdout(text: str) -> str:
    """Trailing whitespace per line and trailing blank lines never matter (judge0's rule)."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())
