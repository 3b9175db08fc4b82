"""The bench times the API's people list as an API client asks for it: with the organizer's
token (OSDI-API-Token), made for the run and revoked after it."""

import pytest
from django.test import Client, override_settings

from api.models import ApiToken
from bench.pages import API_PEOPLE, PERSONAS, ApiTokens, Page, key_pages
from bench.run import request_headers
from members.models import User
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory
from tests.relationships.factories import OneOnOneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(congregation):
    users = {}
    for persona, email in PERSONAS.items():
        role = {"organizer": "organizer", "lead": "lead", "leader": "leader"}[persona]
        users[persona] = User.objects.create_user(email=email, password="x", role=role)
    users["organizer"].network_wide = True
    users["organizer"].save()
    return users


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_api_people_list_is_timed_with_a_token(personas, congregation):
    organizer = personas["organizer"]
    OneOnOneFactory(author=organizer, person=PersonFactory(congregation=congregation))
    ActionFactory(congregations=[congregation])
    pages, skipped = key_pages()
    api = [page for page in pages if page.path == API_PEOPLE]
    assert api == [Page(API_PEOPLE, "organizer", API_PEOPLE, by_token=True)] and not skipped


def test_the_runner_signs_api_pages_in_by_token_and_revokes_it(personas):
    tokens = ApiTokens()
    page = Page(API_PEOPLE, "organizer", API_PEOPLE, by_token=True)
    headers = request_headers(page, {"organizer": "sessionid=x"}, tokens)
    assert "Cookie" not in headers and headers["Accept"] == "application/hal+json"
    client = Client()
    response = client.get(API_PEOPLE, headers=headers, secure=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/")
    assert request_headers(page, {}, tokens) == headers  # one token per persona and run
    row = ApiToken.objects.get(user=personas["organizer"])
    assert row.name == "bench" and row.revoked_at is None
    tokens.revoke_all()
    assert client.get(API_PEOPLE, headers=headers, secure=True).status_code in (401, 403)
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_pages_signed_in_by_session_send_the_cookie(personas):
    page = Page("/people/", "lead", "/people/")
    headers = request_headers(page, {"lead": "sessionid=abc"}, ApiTokens())
    assert headers == {"Cookie": "sessionid=abc"}
    assert not ApiToken.objects.exists()
