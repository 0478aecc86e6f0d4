"""Container health check: ``python -m bot.healthcheck PORT`` exits 0 while the process whose
metrics endpoint listens on PORT has a live event loop (its heartbeat gauge is recent).

Deliberately tiny (standard library only, no pydojo imports) so Docker can run it often.
"""

from __future__ import annotations

import sys
import time
import urllib.request

HEARTBEAT = "pydojo_event_loop_heartbeat_timestamp_seconds"
STALE_SECONDS = 30.0


def healthy(port: int, host: str = "127.0.0.1") -> str | None:
    """None when healthy, else why not."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError as exc:
        return f"metrics endpoint not answering: {exc}"
    for line in text.splitlines():
        if line.startswith(HEARTBEAT + " "):
            age = time.time() - float(line.split()[1])
            return None if age < STALE_SECONDS else f"event loop stalled for {age:.0f} s"
    return "no heartbeat yet"


if __name__ == "__main__":
    problem = healthy(int(sys.argv[1]))
    if problem:
        print(problem)
    sys.exit(1 if problem else 0)
