"""The floor view and the query-count header exist only under the bench's settings."""

import pytest
from django.test import override_settings

from bench import seed as bench_seed
from conect.settings import MIDDLEWARE

BENCH = {
    "ROOT_URLCONF": "bench.urls",
    "MIDDLEWARE": ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE],
}


def test_the_app_does_not_serve_the_floor(client, login, network_organizer):
    login(client, network_organizer)
    assert client.get("/bench/floor/").status_code == 404


@override_settings(**BENCH)
def test_the_floor_is_a_login_and_one_primary_key_query(client, login, network_organizer):
    login(client, network_organizer)
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert network_organizer.email in response.content.decode()
    # The session, the user (both for the login) and the floor's own primary-key query.
    assert response["X-Query-Count"] == "3"
    assert float(response["X-Query-Ms"]) >= 0


@override_settings(**BENCH)
def test_the_floor_needs_a_login(client, db):
    response = client.get("/bench/floor/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@override_settings(**BENCH)
def test_the_floor_answers_get_only(client, login, network_organizer):
    login(client, network_organizer)
    assert client.post("/bench/floor/").status_code == 405


@override_settings(**BENCH)
def test_every_page_says_how_many_queries_it_took(client, login, network_organizer):
    login(client, network_organizer)
    response = client.get("/people/")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) >= 3


def test_the_seeder_empties_only_a_database_named_for_the_bench():
    with pytest.raises(SystemExit, match="lacks 'bench'"):
        bench_seed.refuse_unless_scratch("conect")
    bench_seed.refuse_unless_scratch("conect_bench_1m")  # no exit
