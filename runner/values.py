"""Values crossing the container boundary as tagged JSON, never as code.

Inputs go in encoded by the host; results come back encoded by the learner's process, so
decoding treats them as hostile: bounded size (checked by the caller before parsing), bounded
depth and node count, and every tag's payload type-checked. Anything else is ``Unreadable``.

The form: JSON scalars for None, bools, ints, floats and strings; JSON arrays for lists;
``{"$tuple": [...]}``, ``{"$dict": [[k, v], ...]}``, ``{"$set": [...]}``, ``{"$complex": [re,
im]}``, ``{"$fraction": ["n", "d"]}``, ``{"$decimal": "text"}``, ``{"$bytes": "hex"}``, subclasses
as ``{"$list"|"$int"|"$float"|"$str": ..., "type": name}``, and any other object as
``{"$object": type name, "repr": text}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

MAX_DEPTH = 200
SCALARS = (type(None), bool, int, float, str)
# Unequal members sharing a hash, allowed in one set, dict or multiset. Real values have next to
# none (ints hash to themselves modulo 2**61 - 1, strings are salted); a value built of
# thousands of them makes every insertion scan the others, quadratic time on the host.
MAX_CLASHES = 256


class Unreadable(ValueError):
    """A result that is not a well-formed value."""


class Named:
    """Mixin remembering the type name a learner's value had (``Counter``, a namedtuple...)."""

    type_name: str


class NamedList(list, Named):  # type: ignore[type-arg]
    pass


class NamedTuple(tuple, Named):  # type: ignore[type-arg]
    pass


class NamedDict(dict, Named):  # type: ignore[type-arg]
    pass


class NamedSet(frozenset, Named):  # type: ignore[type-arg]
    pass


class NamedInt(int, Named):
    pass


class NamedFloat(float, Named):
    pass


class NamedStr(str, Named):
    pass


class Opaque:
    """An object that is no plain value (an instance, a generator...): equal to nothing."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return self.text or f"<{self.type_name} object>"


# -- encoding (host inputs; trusted values) ----------------------------------------------------


def encode(value: Any) -> str:
    if type(value) is list and all(type(item) in SCALARS for item in value):
        return json.dumps(value)
    return json.dumps(_tree(value))


def _tree(value: Any) -> Any:
    kind = type(value)
    if kind in SCALARS:
        return value
    if kind is list:
        if all(type(item) in SCALARS for item in value):
            return value  # json writes it as it is, at C speed
        return [_tree(item) for item in value]
    if kind is tuple:
        return {"$tuple": [_tree(item) for item in value]}
    if kind is dict:
        return {"$dict": [[_tree(k), _tree(v)] for k, v in value.items()]}
    if kind in (set, frozenset):
        return {"$set": [_tree(item) for item in value], "type": kind.__name__}
    if kind is complex:
        return {"$complex": [value.real, value.imag]}
    if kind is bytes:
        return {"$bytes": value.hex()}
    if kind is Fraction:
        return {"$fraction": [str(value.numerator), str(value.denominator)]}
    if kind is Decimal:
        return {"$decimal": str(value)}
    raise TypeError(f"cannot send a {kind.__name__} into the sandbox")


# -- decoding (results; hostile) ---------------------------------------------------------------


def decode(text: str, max_nodes: int = 5_000_000) -> Any:
    """A value from its tagged JSON text; ``Unreadable`` for anything malformed."""
    try:
        tree = json.loads(text)
    except (ValueError, RecursionError, MemoryError) as exc:
        raise Unreadable(f"not readable JSON ({type(exc).__name__})") from None
    budget = [max_nodes]
    try:
        return _untree(tree, 0, budget)
    except (RecursionError, MemoryError, OverflowError, TypeError) as exc:
        raise Unreadable(f"malformed value ({type(exc).__name__})") from None


def crowded(keys: Iterable[Any]) -> bool:
    """True when ``keys`` hold more than ``MAX_CLASHES`` unequal values with equal hashes."""
    first: dict[int, Any] = {}
    clashes = 0
    for key in keys:
        seen = first.setdefault(hash(key), key)
        if seen is not key and seen != key:
            clashes += 1
            if clashes > MAX_CLASHES:
                return True
    return False


def _spend(budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise Unreadable("too many parts")


def _untree(node: Any, depth: int, budget: list[int]) -> Any:
    _spend(budget)
    if type(node) in SCALARS:
        return node
    if depth > MAX_DEPTH:
        raise Unreadable("nested too deeply")
    depth += 1
    if type(node) is list:
        if all(type(item) in SCALARS for item in node):
            budget[0] -= len(node)
            if budget[0] < 0:
                raise Unreadable("too many parts")
            return node
        return [_untree(item, depth, budget) for item in node]
    if type(node) is not dict or not node:
        raise Unreadable("unexpected shape")
    tag = next(iter(node))
    payload = node[tag]
    name = node.get("type")
    if name is not None and (type(name) is not str or len(name) > 100):
        raise Unreadable("bad type name")
    if tag in ("$list", "$tuple", "$set"):
        items = _items(payload, depth, budget)
        if tag == "$set" and _crowded(items):
            raise Unreadable("a set built to slow the judge down")
        if tag == "$list":
            return _named(NamedList(items), name or "list")
        if tag == "$tuple":
            return tuple(items) if name in (None, "tuple") else _named(NamedTuple(items), name)
        try:
            found = frozenset(items)
        except TypeError:
            raise Unreadable("a set of unhashable items") from None
        return found if name in (None, "set", "frozenset") else _named(NamedSet(found), name)
    if tag == "$dict":
        if type(payload) is not list:
            raise Unreadable("bad dict")
        items = []
        for pair in payload:
            if type(pair) is not list or len(pair) != 2:
                raise Unreadable("bad dict item")
            items.append((_untree(pair[0], depth, budget), _untree(pair[1], depth, budget)))
        if _crowded(key for key, _ in items):
            raise Unreadable("a dict built to slow the judge down")
        try:
            pairs = dict(items)
        except TypeError:
            raise Unreadable("an unhashable dict key") from None
        return pairs if name in (None, "dict") else _named(NamedDict(pairs), name)
    if tag == "$int":
        number = _number_text(payload, int)
        return number if name in (None, "int") else _named(NamedInt(number), name)
    if tag == "$float":
        number = _number_text(payload, float)
        return number if name in (None, "float") else _named(NamedFloat(number), name)
    if tag == "$str":
        if type(payload) is not str:
            raise Unreadable("bad string")
        return payload if name in (None, "str") else _named(NamedStr(payload), name)
    if tag == "$complex":
        if type(payload) is not list or len(payload) != 2:
            raise Unreadable("bad complex")
        if not all(type(part) in (int, float) for part in payload):
            raise Unreadable("bad complex")
        return complex(payload[0], payload[1])
    if tag == "$fraction":
        if type(payload) is not list or len(payload) != 2:
            raise Unreadable("bad fraction")
        numerator, denominator = (_number_text(part, int) for part in payload)
        if denominator == 0:
            raise Unreadable("bad fraction")
        return Fraction(numerator, denominator)
    if tag == "$decimal":
        if type(payload) is not str or len(payload) > 500:
            raise Unreadable("bad decimal")
        try:
            return Decimal(payload)
        except InvalidOperation:
            raise Unreadable("bad decimal") from None
    if tag == "$bytes":
        if type(payload) is not str:
            raise Unreadable("bad bytes")
        try:
            return bytes.fromhex(payload)
        except ValueError:
            raise Unreadable("bad bytes") from None
    if tag == "$object":
        text = node.get("repr", "")
        if type(payload) is not str or type(text) is not str:
            raise Unreadable("bad object")
        return Opaque(payload[:100], text[:1000])
    raise Unreadable("unknown tag")


def _crowded(keys: Iterable[Any]) -> bool:
    try:
        return crowded(keys)
    except TypeError:
        raise Unreadable("unhashable members") from None


def _items(payload: Any, depth: int, budget: list[int]) -> list[Any]:
    if type(payload) is not list:
        raise Unreadable("bad sequence")
    return [_untree(item, depth, budget) for item in payload]


def _number_text(payload: Any, kind: type) -> Any:
    if type(payload) is not str or len(payload) > 5000:
        raise Unreadable("bad number")
    try:
        return kind(payload)
    except ValueError:
        raise Unreadable("bad number") from None


def _named(value: Any, name: str) -> Any:
    value.type_name = name
    return value


# -- describing --------------------------------------------------------------------------------

KIND_NAMES = {
    type(None): "None",
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    list: "list",
    tuple: "tuple",
    dict: "dict",
    set: "set",
    frozenset: "set",
    complex: "complex",
    Fraction: "Fraction",
    Decimal: "Decimal",
    bytes: "bytes",
}


def type_name(value: Any) -> str:
    """What a learner would call the value's type."""
    if isinstance(value, Named | Opaque):
        return value.type_name
    return KIND_NAMES.get(type(value), type(value).__name__)


def show(value: Any, limit: int = 1000) -> str:
    """A value's text for display (values decoded here have no hostile repr)."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"<{type_name(value)}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
