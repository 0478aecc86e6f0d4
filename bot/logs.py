"""Structured logs: one JSON object per line, with the level, for log shippers."""

from __future__ import annotations

import json
import logging

# Attributes every LogRecord has; anything else was passed as ``extra=`` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line)


# Libraries that log routine steps at INFO (saq: every job; alembic: each plugin it loads);
# their warnings and errors are what an operator needs.
CHATTY = ("saq", "alembic.runtime.plugins")


def quiet_chatty_libraries() -> None:
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))


def log_as_json(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    quiet_chatty_libraries()
