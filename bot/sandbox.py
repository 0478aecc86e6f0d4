"""The bot's sandbox: the in-process runner (default) or queue-backed workers, chosen by one
setting (``PYDOJO_QUEUE_URL``). Both have the same async interface; both are metered."""

from __future__ import annotations

from runner import Runner
from runner.queue import QueueRunner

from .metrics import MeteredSandbox
from .settings import Settings


def make_sandbox(settings: Settings) -> MeteredSandbox:
    queue = settings.queue_config()
    inner = QueueRunner(queue) if queue is not None else Runner(settings.runner_config())
    return MeteredSandbox(inner)
