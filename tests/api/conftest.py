"""API personas: `api_as(user)` is a test client that sends the user's own new token."""

import pytest
from django.core.cache import cache
from django.test import Client

from api import services


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # throttle counters live in the cache: no test inherits another's
    yield
    cache.clear()


@pytest.fixture
def token_for(db):
    def make(user, name="tests"):
        return services.token_create(user=user, name=name, by=user)[1]

    return make


@pytest.fixture
def api_as(token_for):
    def make(user):
        return Client(headers={"OSDI-API-Token": token_for(user)})

    return make


def uuid_of(body: dict) -> str:
    """The uuid in an OSDI object's conect: identifier."""
    return next(i for i in body["identifiers"] if i.startswith("conect:")).split(":", 1)[1]
