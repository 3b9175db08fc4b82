"""The people list's total_records is kept in the cache (api.pagination.total_of) and stays
exact: whatever path adds a person, the next page a client reads counts them."""

import json

import pytest

from conect.access import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v2/people"


def total(client) -> int:
    return client.get(PEOPLE).json()["total_records"]


def test_the_count_is_kept_and_follows_every_write(
    api_as, lead, congregation, django_assert_max_num_queries
):
    PersonFactory.create_batch(2, congregation=congregation)
    client = api_as(lead)
    assert total(client) == 2
    with django_assert_max_num_queries(20) as read:
        total(client)
    assert not any("COUNT(" in q["sql"] for q in read.captured_queries)  # kept, not recounted
    PersonFactory(congregation=congregation)  # a write outside any request: a model signal
    assert total(client) == 3
    body = {"person": {"email_addresses": [{"address": "new@example.org"}], "given_name": "Ana"}}
    created = client.post(PEOPLE, json.dumps(body), content_type="application/json")
    assert created.status_code in (200, 201)
    assert total(client) == 4  # through the API itself


def test_nobody_in_scope_counts_nothing(api_as, congregation):
    PersonFactory(congregation=congregation)
    lead_of_none = UserFactory(role=Role.LEAD)  # no congregation: an empty scope
    assert total(api_as(lead_of_none)) == 0
