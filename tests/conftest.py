"""Personas and switches shared by the whole suite.

Personas (DESIGN.md): `admin_user`, `organizer` (assigned to `congregation`), `network_organizer`,
`lead` (lead of `congregation`), `lead_of(cong)` to make more, `leader` (a member of
`congregation` with a login), and `other_congregation` for the 404 checks. `login(client, user)`
signs a client in.

Markers: `postgres` tests skip on SQLite, except when CONECT_REQUIRE_POSTGRES=1 (CI), where a
non-PostgreSQL database fails the run and so does running zero postgres tests. `e2e` tests skip
when /usr/bin/chromium is missing, except when CONECT_REQUIRE_BROWSER=1 (CI), where they fail.
"""

import os
import shutil

import pytest
from django.db import connection

from conect.access import Role
from tests.browser import (  # noqa: F401 - fixtures for every folder
    CHROMIUM,
    browser,
    close_shared_browser,
    phone,
    screenshot,
    sign_in,
)
from tests.demo_network import demo_network  # noqa: F401 - the seeded demo, once per run
from tests.factories import CongregationFactory, PersonFactory, UserFactory
from tests.workers import isolate_the_cache

REQUIRE_POSTGRES = os.environ.get("CONECT_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("CONECT_REQUIRE_BROWSER") == "1"
_postgres_passed = 0


def pytest_configure(config):
    # Here, not at collection: under xdist only the workers collect, and the run must stop.
    if REQUIRE_POSTGRES and connection.vendor != "postgresql":
        raise pytest.UsageError("CONECT_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    isolate_the_cache()  # under xdist: each worker its own Redis keys (tests/workers.py)


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    has_browser = shutil.which(CHROMIUM) is not None
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "e2e" in item.keywords and not has_browser and not REQUIRE_BROWSER:
            item.add_marker(pytest.mark.skip(reason=f"needs chromium at {CHROMIUM}"))


def pytest_runtest_logreport(report):
    global _postgres_passed
    if report.when == "call" and report.passed and "postgres" in report.keywords:
        _postgres_passed += 1


def pytest_sessionfinish(session, exitstatus):
    close_shared_browser()
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller sees every worker's reports and decides
    if REQUIRE_POSTGRES and exitstatus == 0 and _postgres_passed == 0:
        print("\nCONECT_REQUIRE_POSTGRES=1 but no postgres-marked test passed")
        session.exitstatus = 1


@pytest.fixture
def congregation(db):
    return CongregationFactory(name="St. Mark's AME Church", slug="st-marks")


@pytest.fixture
def other_congregation(db):
    return CongregationFactory(name="Temple Sinai", slug="temple-sinai")


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@conect.example", role=Role.ADMIN)


@pytest.fixture
def organizer(db, congregation):
    return UserFactory(
        email="organizer@conect.example", role=Role.ORGANIZER, congregations=[congregation]
    )


@pytest.fixture
def network_organizer(db):
    return UserFactory(email="network@conect.example", role=Role.ORGANIZER, network_wide=True)


@pytest.fixture
def lead_of(db):
    def make(*congregations, **extra):
        return UserFactory(role=Role.LEAD, congregations=list(congregations), **extra)

    return make


@pytest.fixture
def lead(lead_of, congregation):
    return lead_of(congregation, email="lead@conect.example")


@pytest.fixture
def leader(db, congregation):
    user = UserFactory(email="leader@conect.example", role=Role.LEADER)
    PersonFactory(
        first_name=user.first_name, last_name=user.last_name, user=user, congregation=congregation
    )
    return user


@pytest.fixture
def login():
    def force(client, user):
        client.force_login(user)
        return client

    return force


DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down(monkeypatch):
    """The task queue is unreachable, as with Redis down in production: tasks are really
    published (not run in-process) to a broker that refuses the connection. `.restore()` brings
    the broker "back" (tests run tasks in-process again); `.down()` takes it away again."""
    from conect.celery import app

    real = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    real_env = os.environ.get("CELERY_BROKER_URL")

    def switch(env: str | None, **conf):
        if env:
            monkeypatch.setenv("CELERY_BROKER_URL", env)  # Celery reads it before its conf
        else:
            monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        app.conf.update(conf)
        app._pool = None  # connections are made again, to the broker now configured
        app.amqp._producer_pool = None

    class Broker:
        @staticmethod
        def down():
            switch(DEAD_BROKER, task_always_eager=False, broker_url=DEAD_BROKER)

        @staticmethod
        def restore():
            switch(real_env, **real)

    Broker.down()
    yield Broker
    Broker.restore()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached fragments and counts (conect.fragments) are
    keyed by primary keys, which a later test's rows may reuse (and CI's Redis outlives a run)."""
    from django.core.cache import cache

    cache.clear()
    yield
