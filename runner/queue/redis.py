"""Connections to the queue's Redis, with failure behaviour chosen for a live bot.

redis-py's default retries back off for several seconds per command; here a down Redis must
show up within a second or two (the bot answers ``sandbox_error`` promptly, the worker pauses),
so commands retry once, quickly, and connecting gives up after two seconds.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from saq.queue.redis import RedisQueue

from .jobs import DEFAULT_QUEUE_NAME

# What "Redis is unreachable" looks like from redis-py.
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


def redis_client(url: str, *, blocking_seconds: float = 0.0) -> Redis:
    """A client whose reads may block up to ``blocking_seconds`` (BLMOVE) before timing out."""
    return Redis.from_url(
        url,
        socket_connect_timeout=2.0,
        socket_timeout=blocking_seconds + 5.0,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=1),
        health_check_interval=15,
    )


def make_queue(
    url: str, name: str = DEFAULT_QUEUE_NAME, *, blocking_seconds: float = 0.0
) -> RedisQueue:
    return RedisQueue(redis_client(url, blocking_seconds=blocking_seconds), name=name)


def redact(url: str) -> str:
    """The URL without its password, for logs and `pydojo doctor`."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user + ':***' if user else '***'}@{host}"
