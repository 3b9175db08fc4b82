"""Schemathesis against the OpenAPI schema the app serves: every operation, generated requests
(bounded: EXAMPLES per operation, derandomized so CI is repeatable), sent in-process through
Django's WSGI application with an organizer's token. No answer may be a 5xx, and every answer
must match the schema: its status code, content type, headers and body.

Semantic refusals (an email the import rejects, a uuid that names nothing) are 4xx answers the
schema documents, so the "positive data accepted" check is not among those run.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from actions.services import attendance_rsvp
from api import services
from api.throttling import TokenRateThrottle
from members.models import Tag
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory

EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
APP = get_wsgi_application()
# Generated requests only (positive and negative), EXAMPLES per operation: the deterministic
# coverage phase sends hundreds per operation, too many for the normal suite.
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}, "generation": {"mode": "all"}}
)
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True), config=CONFIG
)
GENERATED: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    total = sum(GENERATED.values())
    print(f"\nschemathesis: {total} generated cases over {len(GENERATED)} operations")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI handler, not through Django's test client, so nothing
    stops request_started/request_finished from closing the database connection in the middle of
    the test's transaction (on PostgreSQL: "the connection is closed"). Do what the test client
    does: leave the connection alone for the test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, organizer, congregation, monkeypatch):
    """An organizer's token, and a little of everything for the lists to show. The rate limit
    is lifted: its 429s are tested in test_tokens.py."""
    monkeypatch.setattr(TokenRateThrottle, "rate", "1000000/min", raising=False)
    people = PersonFactory.create_batch(3, congregation=congregation)
    action = ActionFactory()
    attendance_rsvp(action=action, person=people[0], rsvp="yes")
    people[1].tags.add(Tag.objects.create(name="housing"))
    return services.token_create(user=organizer, name="schemathesis", by=organizer)[1]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_by_its_schema(case, token):
    GENERATED[case.operation.label] += 1
    response = case.call(app=APP, headers={"OSDI-API-Token": token})
    case.validate_response(response, checks=CHECKS)
