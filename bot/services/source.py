"""Checking submitted code before anything is spent on it."""

from __future__ import annotations

from .errors import BinarySource, EmptySource, NotText, SourceTooLarge

MAX_SOURCE_BYTES = 64 * 1024


def check_source(data: bytes | str) -> str:
    """The code as text, or a ``BadSource`` saying why it cannot be judged.

    ``bytes`` come from files; ``str`` was pasted (a code block or a modal). Pasted text can
    only fail to encode through lone surrogates."""
    from_file = isinstance(data, bytes)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceTooLarge(len(raw), MAX_SOURCE_BYTES)
    if b"\x00" in raw:
        raise BinarySource()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise NotText(line, column, from_file) from None
    if not text.strip():
        raise EmptySource()
    return text
