"""The suite on several processes (pytest-xdist; `make test` runs two): what each keeps apart.

pytest-django gives each worker its own database (an in-memory SQLite each; on PostgreSQL
test_<name>_gw0, test_<name>_gw1, ...); live servers take a free port each; each worker launches
its own chromium. What they would share is Redis: every test starts with `cache.clear()`, which
is Redis' FLUSHDB, and one worker's clear would empty the other's cache in the middle of a test
(its rate-limit counters, its cached fragments). So under xdist each worker's keys carry the
worker's name as their prefix and `clear()` deletes only the keys under that prefix.
"""

import os

from conect.cache import FailOpenRedisCache

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...; empty in one process


class WorkerRedisCache(FailOpenRedisCache):
    """The project's Redis cache whose clear() empties this worker's keys only."""

    def clear(self):
        def call():
            client = self._cache.get_client(None, write=True)
            keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1_000))
            if keys:
                client.delete(*keys)
            return True

        return self._guarded("clear", call, lambda: False)


def isolate_the_cache():
    """Under xdist with a Redis cache: this worker's prefix and its own clear(). Returns the
    override it enabled (None when there was nothing to do)."""
    from django.conf import settings
    from django.test.utils import override_settings

    default = settings.CACHES["default"]
    if not WORKER or default["BACKEND"] != "conect.cache.FailOpenRedisCache":
        return None
    mine = {
        **default,
        "BACKEND": f"{__name__}.WorkerRedisCache",
        "KEY_PREFIX": f"{default.get('KEY_PREFIX') or 'tests'}-{WORKER}",
    }
    # For the whole run; the setting_changed signal drops any cache object made before.
    override = override_settings(CACHES={**settings.CACHES, "default": mine})
    override.enable()
    return override
