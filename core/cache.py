"""A Redis cache that keeps the portal working while Redis is down.

The cache holds only rate-limit counters (sign-in, sign-up, password reset, booking), so
losing Redis must not stop people signing in or booking. While Redis cannot be reached,
this backend uses a cache in the process's own memory instead – rate limits then count
per process, which is weaker but still a limit – logs one warning, and tries Redis again
after ``RETRY_SECONDS``. Every other error is raised as usual.

    CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Every operation of Django's cache API that talks to Redis.
OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


def _with_fallback(name: str):
    redis_operation = getattr(RedisCache, name)

    @functools.wraps(redis_operation)
    def operation(self, *args, **kwargs):
        if not self._redis_down():
            try:
                return redis_operation(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._mark_down(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    return operation


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a request should not wait seconds for a Redis that is not there.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(f"fallback-{id(self)}", params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _mark_down(self, error: Exception) -> None:
        with self._lock:
            if not self._redis_down():
                logger.warning(
                    "Redis cache unreachable (%s): using this process's memory for %s s",
                    error,
                    RETRY_SECONDS,
                )
            self._down_until = time.monotonic() + RETRY_SECONDS


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _with_fallback(_name))
