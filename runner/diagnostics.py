"""Messages about the user's code: syntax errors found on the host, trimmed tracebacks."""

from __future__ import annotations

import traceback
from typing import Any

from .verdict import ErrorDetail

FILENAME = "main.py"  # the name the user's code runs under, in tracebacks too
MAX_FRAMES = 8


def syntax_error(source: str) -> ErrorDetail | None:
    """Compile on the host, before any container is spent. None if the code compiles."""
    try:
        compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        text = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        return ErrorDetail(
            type=type(exc).__name__,
            message=exc.msg or "invalid syntax",
            traceback=text,
            line=exc.lineno,
        )
    except (ValueError, MemoryError, RecursionError) as exc:  # null bytes, absurd nesting
        return ErrorDetail(
            type="SyntaxError",
            message=str(exc) or type(exc).__name__,
            traceback=f"SyntaxError: {exc}",
            line=None,
        )
    return None


def runtime_error(report: dict[str, Any], source: str) -> ErrorDetail:
    """An exception reported by the harness, keeping only frames in the user's own file.

    The report is untrusted, so every field is checked before use.
    """
    lines = source.splitlines()
    raw = report.get("frames")
    frames = [
        f
        for f in (raw if isinstance(raw, list) else [])[:100]
        if isinstance(f, list) and len(f) >= 3 and f[0] == FILENAME and type(f[1]) is int
    ]
    shown = _collapse(frames)
    parts = ["Traceback (most recent call last):"] if frames else []
    for entry in shown:
        if isinstance(entry, str):
            parts.append(entry)
            continue
        lineno, name = entry[1], entry[2]
        parts.append(f'  File "{FILENAME}", line {lineno}, in {str(name)[:80]}')
        if 1 <= lineno <= len(lines):
            parts.append("    " + lines[lineno - 1].strip()[:200])
    exc_only = _text(report.get("exc_only")) or _text(report.get("type")) or "Exception"
    parts.append(exc_only.rstrip()[-1500:])
    return ErrorDetail(
        type=(_text(report.get("type")) or "Exception")[:100],
        message=_text(report.get("message"))[:1500],
        traceback="\n".join(parts),
        line=frames[-1][1] if frames else None,
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _collapse(frames: list[list[Any]]) -> list[Any]:
    """Fold long recursion into a note, keeping the first and last few frames."""
    if len(frames) <= MAX_FRAMES:
        return frames
    head, tail = frames[:3], frames[-(MAX_FRAMES - 3) :]
    return [*head, f"  [... {len(frames) - len(head) - len(tail)} more frames ...]", *tail]
