"""A Redis cache that fails open: while Redis is down every read is a miss and every write is
dropped, with a warning in the log, so sign-in (allauth's rate limits live in the cache) and
every page keep working (docs/security.md "Rate limits").

After a failure the cache does not try Redis again for `RETRY_SECONDS`, so a dead or unreachable
server costs one short timeout per process, not one per cache call. The ground floor: imports no
app.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("conect.cache")

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0


class FailOpenRedisCache(RedisCache):
    """django's RedisCache, but an unreachable server behaves like an empty cache.

    Miss semantics: `get` returns the default, `add` reports the key as stored (it was absent),
    `set` and `delete` do nothing, `has_key` is False, `incr` raises ValueError like a missing key.
    Only connection and timeout errors are absorbed: a wrong value or a bug still raises.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._last_warning = 0.0
        self._failures = 0
        self._lock = threading.Lock()

    # --- the guard ------------------------------------------------------------------------------

    def _guarded(self, operation: str, call: Callable[[], Any], on_outage: Callable[[], Any]):
        if time.monotonic() < self._down_until:
            return on_outage()
        try:
            result = call()
        except OUTAGE_ERRORS as error:
            self._record_outage(operation, error)
            return on_outage()
        if self._failures:
            self._record_recovery()
        return result

    def _record_outage(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_SECONDS
            self._failures += 1
            due = now - self._last_warning >= WARN_EVERY_SECONDS
            if due:
                self._last_warning = now
            failures = self._failures
        if due:
            logger.warning(
                "Cache (Redis) unreachable during %s: %s. Working without a cache: sign-in rate "
                "limits are not enforced until it is back (%d failed calls so far).",
                operation,
                error,
                failures,
            )

    def _record_recovery(self) -> None:
        with self._lock:
            failures, self._failures, self._last_warning = self._failures, 0, 0.0
        logger.warning("Cache (Redis) reachable again after %d failed calls.", failures)

    # --- the cache API --------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().add
        return self._guarded("add", lambda: call(key, value, timeout, version), lambda: True)

    def get(self, key, default=None, version=None):
        call = super().get
        return self._guarded("get", lambda: call(key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().set
        return self._guarded("set", lambda: call(key, value, timeout, version), lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().touch
        return self._guarded("touch", lambda: call(key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        call = super().delete
        return self._guarded("delete", lambda: call(key, version), lambda: False)

    def get_many(self, keys, version=None):
        call = super().get_many
        return self._guarded("get_many", lambda: call(keys, version), dict)

    def has_key(self, key, version=None):
        call = super().has_key
        return self._guarded("has_key", lambda: call(key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        call = super().incr

        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")

        return self._guarded("incr", lambda: call(key, delta, version), missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().set_many
        return self._guarded("set_many", lambda: call(data, timeout, version), list)

    def delete_many(self, keys, version=None):
        call = super().delete_many
        return self._guarded("delete_many", lambda: call(keys, version), lambda: None)

    def clear(self):
        call = super().clear
        return self._guarded("clear", call, lambda: False)
