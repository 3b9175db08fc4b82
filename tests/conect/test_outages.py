"""Outages (issue 12): with the database down every page is a calm 503 in the visitor's
language and /healthz/ says so; the site comes back by itself. /healthz/ answers whatever the
Host header (the compose probe, a load balancer)."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings

from conect.health import database_down

pytestmark = pytest.mark.django_db


def database_gone():
    """Every new cursor fails as on a PostgreSQL that went away."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "cursor",
        side_effect=OperationalError("connection to server at 127.0.0.1, port 5432 failed"),
    )


@pytest.mark.parametrize("path", ["/", "/people/", "/dues/", "/actions/", "/congregations/"])
def test_every_page_is_a_calm_503_while_the_database_is_down(path, login, organizer):
    client = Client(raise_request_exception=False)
    login(client, organizer)
    with database_gone():
        response = client.get(path)
    assert response.status_code == 503
    body = response.content.decode()
    assert "will be right back" in body and "Nothing saved before is lost" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]


def test_the_outage_page_speaks_spanish(login, organizer):
    client = Client(raise_request_exception=False)
    login(client, organizer)
    with database_gone():
        response = client.get("/people/", HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert response.status_code == 503 and 'lang="es"' in body
    assert "volverá enseguida" in body and "No se ha perdido nada" in body


@pytest.mark.parametrize(
    ("error", "status"),
    [(OperationalError("server closed the connection"), 503), (ZeroDivisionError(), 500)],
)
def test_handler500_tells_an_outage_from_a_bug(rf, error, status):
    from conect.health import server_error

    try:
        raise error
    except Exception:
        response = server_error(rf.get("/"))
    assert response.status_code == status


def test_the_site_recovers_by_itself(login, organizer):
    client = Client(raise_request_exception=False)
    login(client, organizer)
    with database_gone():
        assert client.get("/people/").status_code == 503
        assert client.get("/healthz/").status_code == 503
    assert client.get("/people/").status_code == 200  # the database is back: no restart
    assert json.loads(client.get("/healthz/").content)["db"] == "ok"


@override_settings(ALLOWED_HOSTS=["organizer.conect.org"])
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "10.0.0.7", "localhost"])
def test_healthz_answers_any_host_but_pages_do_not(host):
    client = Client()
    response = client.get("/healthz/", HTTP_HOST=host)
    assert response.status_code == 200, response.content
    assert client.get("/accounts/login/", HTTP_HOST=host).status_code == 400


def test_outage_page_needs_no_database():
    with database_gone(), mock.patch.object(connection, "ensure_connection", side_effect=OSError):
        response = database_down()
    assert response.status_code == 503
