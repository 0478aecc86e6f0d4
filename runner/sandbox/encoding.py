"""Values as tagged JSON, inside the sandbox: what the learner's process reports back, and
how it reads the inputs it is sent. Runs in front of ``worker.py`` in the learner's process;
the host's own (hostile-input) reader is ``runner.values``.
"""

import json

MAX_DEPTH = 200  # nesting of a reported value
SHORT_REPR = 1000  # characters of a value's repr kept for display


class Unencodable(Exception):
    pass


SCALARS = (type(None), bool, int, float, str)


def encode(value):
    """The JSON text of a value; containers keep their kind, unknown objects their type name."""
    try:
        if type(value) is list and all(type(item) in SCALARS for item in value):
            return json.dumps(value)  # the common big case, at C speed
        return json.dumps(_tree(value, 0))
    except (ValueError, OverflowError, RecursionError) as exc:  # an int past the digit limit
        raise Unencodable(str(exc)[:200]) from None


def _tree(value, depth):
    kind = type(value)
    if kind in SCALARS:
        return value
    if depth > MAX_DEPTH:
        raise Unencodable("nested too deeply")
    depth += 1
    name = kind.__name__
    if isinstance(value, int):
        return {"$int": int.__repr__(value), "type": name}
    if isinstance(value, float):
        return {"$float": float.__repr__(value), "type": name}
    if isinstance(value, str):
        return {"$str": str.__str__(value), "type": name}
    if kind is list and all(type(item) in SCALARS for item in value):
        return value
    if isinstance(value, list):
        items = [_tree(item, depth) for item in list.__iter__(value)]
        return items if kind is list else {"$list": items, "type": name}
    if isinstance(value, tuple):
        return _tagged("$tuple", [_tree(item, depth) for item in tuple.__iter__(value)], kind)
    if isinstance(value, dict):
        pairs = [[_tree(k, depth), _tree(v, depth)] for k, v in dict.items(value)]
        return _tagged("$dict", pairs, kind)
    if isinstance(value, set | frozenset):
        members = set.__iter__(value) if isinstance(value, set) else frozenset.__iter__(value)
        return _tagged("$set", [_tree(item, depth) for item in members], kind)
    if isinstance(value, complex):
        return {"$complex": [complex.real.__get__(value), complex.imag.__get__(value)]}
    if isinstance(value, bytes | bytearray):
        return {"$bytes": bytes(value).hex(), "type": name}
    module = getattr(kind, "__module__", "")
    if module == "fractions" and name == "Fraction":
        return {"$fraction": [str(value.numerator), str(value.denominator)]}
    if module == "decimal" and name == "Decimal":
        return {"$decimal": str(value)}
    return {"$object": name[:100], "repr": short_repr(value)}


def _tagged(tag, items, kind):
    """Plain tuples, dicts and sets go untyped; subclasses (Counter, namedtuples) say what
    they are."""
    if kind in (tuple, dict, set):
        return {tag: items}
    return {tag: items, "type": kind.__name__[:100]}


def decode(text):
    """Inputs from the host (trusted): the same tagged form back into Python values."""
    value = json.loads(text)
    if "{" not in text:  # no tagged node anywhere (lists and scalars): nothing to rebuild
        return value
    return _untree(value)


def _untree(node):
    if type(node) is list:
        if all(type(item) in SCALARS for item in node):
            return node
        return [_untree(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$tuple" in node:
        return tuple(_untree(item) for item in node["$tuple"])
    if "$dict" in node:
        return {_untree(k): _untree(v) for k, v in node["$dict"]}
    if "$set" in node:
        items = (_untree(item) for item in node["$set"])
        return frozenset(items) if node.get("type") == "frozenset" else set(items)
    if "$float" in node:
        return float(node["$float"])
    if "$int" in node:
        return int(node["$int"])
    if "$complex" in node:
        return complex(*node["$complex"])
    if "$bytes" in node:
        return bytes.fromhex(node["$bytes"])
    if "$fraction" in node:
        from fractions import Fraction

        return Fraction(int(node["$fraction"][0]), int(node["$fraction"][1]))
    if "$decimal" in node:
        from decimal import Decimal

        return Decimal(node["$decimal"])
    if "$str" in node:
        return node["$str"]
    raise ValueError("unknown input form")


def short_repr(value):
    try:
        text = repr(value)
        if not isinstance(text, str):
            return "<unprintable>"
        return text[:SHORT_REPR]
    except BaseException:
        return "<unprintable>"
