"""Tokens: the page where users make and revoke their own, the command, rate limits, and the
schema and documentation pages."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.services import digest_of
from api.throttling import TokenRateThrottle
from members.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKENS = "/api/tokens/"


def test_a_user_makes_a_token_and_sees_it_once(client, login, leader):
    login(client, leader)
    response = client.post(TOKENS, {"name": "Parsons sync"}, follow=True)
    token = re.search(r'value="(conect_[^"]+)"', response.content.decode()).group(1)
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.digest) == (leader, "Parsons sync", digest_of(token))
    assert token not in client.get(TOKENS).content.decode()  # shown once
    api = Client(headers={"OSDI-API-Token": token})
    assert api.get("/api/v2/people").json()["total_records"] == 1  # the leader's own scope
    assert AuditEvent.objects.filter(action="api", detail__what="token_create").exists()


def test_a_blank_name_is_refused(client, login, leader):
    login(client, leader)
    response = client.post(TOKENS, {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_revoking_stops_the_token_and_only_your_own(client, login, leader, lead, token_for):
    mine = token_for(leader)
    theirs = token_for(lead)
    login(client, leader)
    own, other = ApiToken.objects.get(user=leader), ApiToken.objects.get(user=lead)
    assert client.post(reverse("api:token_revoke", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:token_revoke", args=[own.pk])).status_code == 405
    client.post(reverse("api:token_revoke", args=[own.pk]))
    assert Client(headers={"OSDI-API-Token": mine}).get("/api/v2").status_code == 401
    assert Client(headers={"OSDI-API-Token": theirs}).get("/api/v2").status_code == 200
    assert "revoked" in client.get(TOKENS).content.decode()


def test_the_page_needs_a_login(client):
    response = client.get(TOKENS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_deactivated_login_s_token_stops_working(leader, token_for):
    token = token_for(leader)
    leader.is_active = False
    leader.save()
    assert Client(headers={"OSDI-API-Token": token}).get("/api/v2").status_code == 401


def test_the_command_prints_a_working_token_last(organizer):
    out = io.StringIO()
    call_command("api_token", "create", "ORGANIZER@conect.example", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert Client(headers={"OSDI-API-Token": token}).get("/api/v2/people").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", organizer.email, stdout=listing)
    assert "active" in listing.getvalue()


def test_rate_limited_per_token_with_retry_after(monkeypatch, organizer, lead, token_for):
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/min", raising=False)
    busy = Client(headers={"OSDI-API-Token": token_for(organizer)})
    for _ in range(3):
        assert busy.get("/api/v2").status_code == 200
    refused = busy.get("/api/v2")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "error" in refused.json()
    other = Client(headers={"OSDI-API-Token": token_for(lead)})
    assert other.get("/api/v2").status_code == 200  # another token has its own budget


def test_schema_answers_a_token_or_a_session(client, login, organizer, token_for):
    assert client.get("/api/schema/").status_code == 401
    with_token = Client(headers={"OSDI-API-Token": token_for(organizer)})
    schema = with_token.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v2/people/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["OSDI-API-Token"]["in"] == "header"
    assert login(client, organizer).get("/api/schema/").status_code == 200


def test_docs_page_has_no_inline_script_or_style(client, login, organizer):
    assert client.get("/api/docs/").status_code == 302  # a login first
    page = login(client, organizer).get("/api/docs/").content.decode()
    assert "<style" not in page and "swagger-ui-bundle.js" in page
    assert re.search(r"<script>", page) is None  # every script has a src
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
