"""Issue 16: the key pages ask the database as many times at 3,000 people as at 1,000.

The bench's own network (bench.seed, the demo's shapes) at two scales, the bench's own page list
(bench.pages), each page asked twice (the second request is counted: a page may fill a cache on
its first), and the counts compared. A page whose count grows with the rows has an N+1 query.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.pages import PERSONAS, ApiTokens, api_headers, key_pages
from bench.seed import seed
from members.models import User

SCALES = (1_000, 3_000)
CEILING = 30  # no key page needs more; a page past it is doing per-row work


def _query_counts(people: int) -> dict[str, int]:
    """Seed `people` in a savepoint, count each key page's queries, roll the savepoint back."""
    counts = {}
    with transaction.atomic():
        seed(people, log=lambda line: None)
        pages, _skipped = key_pages()
        clients = {}
        for persona, email in PERSONAS.items():
            clients[persona] = Client()
            clients[persona].force_login(User.objects.get(email=email))
        tokens = ApiTokens()
        for page in pages:
            client = clients[page.persona]
            headers = api_headers(tokens.for_persona(page.persona)) if page.by_token else {}
            assert client.get(page.path, headers=headers).status_code == 200, page
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path, headers=headers)
            assert response.status_code == 200, page
            counts[page.name] = len(queries)
        transaction.set_rollback(True)
    cache.clear()
    return counts


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_key_pages_ask_as_many_queries_at_1000_and_3000_people():
    small, large = (_query_counts(people) for people in SCALES)
    assert large == small
    assert max(small.values()) <= CEILING, small
    assert len(small) >= 15  # the floor, every page of the table and the API's people
