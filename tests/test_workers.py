"""tests/workers.py: under pytest-xdist each worker clears only its own Redis keys."""

import pytest
from django.core.cache import caches

from tests import workers


class FakeRedis:
    """The two calls clear() makes, over a dict standing in for one Redis database."""

    def __init__(self, keys):
        self.keys = dict.fromkeys(keys, b"v")

    def scan_iter(self, match, count):
        assert match.endswith("*")
        return [key for key in self.keys if key.startswith(match[:-1])]

    def delete(self, *keys):
        for key in keys:
            del self.keys[key]


def test_a_worker_clears_its_own_keys_only(monkeypatch):
    cache = workers.WorkerRedisCache(
        "redis://127.0.0.1:1/0", {"KEY_PREFIX": "tests-gw1", "OPTIONS": {}}
    )
    redis = FakeRedis(["tests-gw0:1:frag:gen:people", "tests-gw1:1:frag:gen:people", "other"])
    monkeypatch.setattr(cache._cache, "get_client", lambda key, write: redis)
    assert cache.clear() is True
    assert sorted(redis.keys) == ["other", "tests-gw0:1:frag:gen:people"]


@pytest.mark.parametrize(("worker", "prefix"), [("gw1", "tests-gw1"), ("", None)])
def test_the_cache_is_isolated_only_on_a_worker_with_redis(settings, monkeypatch, worker, prefix):
    redis = {"BACKEND": "conect.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = {"default": redis}
    monkeypatch.setattr(workers, "WORKER", worker)
    override = workers.isolate_the_cache()
    try:
        assert settings.CACHES["default"].get("KEY_PREFIX") == prefix
        if prefix:
            assert isinstance(caches["default"], workers.WorkerRedisCache)
        else:
            assert override is None and settings.CACHES["default"] == redis
    finally:
        if override:
            override.disable()


def test_locmem_needs_nothing(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(workers, "WORKER", "gw0")
    assert workers.isolate_the_cache() is None
