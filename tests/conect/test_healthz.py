import json
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy_without_login(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["db"] == "ok"
    assert body["broker"] in ("ok", "embedded")
    assert "no-cache" in response["Cache-Control"]


def test_database_down_is_503_naming_it(client):
    with mock.patch.object(connection, "cursor", side_effect=Exception("gone")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["db"] == "down"


@override_settings(CELERY_BROKER_EMBEDDED=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_broker_down_is_503_naming_it(client):
    from conect.celery import app

    with mock.patch.object(app, "connection_for_write", side_effect=OSError("refused")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content) == {"db": "ok", "broker": "down"}


def test_post_is_405(client):
    assert client.post("/healthz/").status_code == 405
