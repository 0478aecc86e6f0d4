"""The runner as a service: jobs on a Redis queue (saq), executed by `pydojo runner serve`."""

from .client import JudgeUnavailable, QueueConfig, QueueRunner, QueueStats
from .jobs import DEFAULT_QUEUE_NAME, JobArgs, Operation, Reply, WorkerInfo
from .worker import RunnerWorker

__all__ = [
    "DEFAULT_QUEUE_NAME",
    "JobArgs",
    "JudgeUnavailable",
    "Operation",
    "QueueConfig",
    "QueueRunner",
    "QueueStats",
    "Reply",
    "RunnerWorker",
    "WorkerInfo",
]
