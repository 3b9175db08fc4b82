"""Hostile GET parameters never make a 5xx (issue 11, Must 5).

Every URL of the project (the walk of test_url_rules.py), the admin's pages and the sign-in
pages are fetched as an admin (the API with the admin's token), once per hostile value, with
every parameter name any page reads or shows set to it: the names the views read from the query
string and the `name`s of every field on every page (so each page's own filters and forms are
sent what they least expect). NUL, control characters and oversized values are refused with a
400 by `conect.middleware.QueryGuardMiddleware`; everything else reaches the views, which answer
2xx, 3xx or 4xx.
"""

import re
import time
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test import client as test_client
from django.urls import reverse

from api.services import token_create
from conect.middleware import MAX_QUERY_VALUE
from tests.conect.test_url_rules import (  # noqa: F401 - `world` is a fixture used below
    RULES,
    SAMPLE_ARGS,
    api_uuid,
    url_patterns,
)
from tests.conect.test_url_rules import (
    world as world,
)

# What the views read by name (request.GET / query_params), and names pages commonly take.
READ_BY_VIEWS = [
    "q",
    "page",
    "sort",
    "token",
    "next",
    "filter",
    "congregation",
    "from_issue_heard",
    "issue",
    "kind",
    "mine",
    "month",
    "year",
    "multi",
    "person_id",
    "rsvp",
    "per_page",
    "o",
    "p",
    "e",
    "all",
]

# Refused by the guard before any view runs (cheap): every name gets the value.
REFUSED: dict[str, str] = {
    "nul": "a\x00b",
    "nul alone": "\x00",
    "control characters": "\x1b[2J\x07\x08",
    "oversized": "x" * (MAX_QUERY_VALUE + 1),
    "very long": "y" * 100_000,
}
# Reaching the views: one request each (a text value carries several attacks at once).
REACHING: dict[str, str | list[str]] = {
    "text": "%00 ñandú 名前 🙂 \u202eevil\ufeff 1' OR '1'='1'; DROP TABLE x; -- \"><script>",
    "negative": "-1",
    "huge number": "9" * 40,
    "float overflow": "1e309",
    "not a date": "2026-13-45",
    "array": ["1", "2", "-5", "x"],
}
RAW = {"invalid utf-8": "%ff%fe%ed%a0%80"}  # not UTF-8, and an encoded lone surrogate

# Objects for the pages the walk reads as public network information.
NETWORK_OBJECTS = {
    "campaigns:detail": lambda o: {"pk": o["campaign"].pk},
    "targets:detail": lambda o: {"pk": o["commitment"].target_id},
    "actions:detail": lambda o: {"pk": o["action"].pk},
    "api:tag": lambda o: {"uuid": api_uuid(o["tag"])},
    "api:taggings": lambda o: {"uuid": api_uuid(o["tag"])},
    "api:event": lambda o: {"uuid": api_uuid(o["action"])},
    "api:attendances": lambda o: {"uuid": api_uuid(o["action"])},
}
FIELD_NAME = re.compile(r'\bname="([A-Za-z_][\w\-\[\]]{0,60})"')
NOT_PARAMETERS = {"csrfmiddlewaretoken", "viewport", "description", "theme-color"}


def _kwargs(name, pattern, world):
    rule = RULES[name]
    if name in NETWORK_OBJECTS:
        return NETWORK_OBJECTS[name](world)
    if callable(rule.outside):
        return rule.outside(world)
    if rule.forbidden:
        spec = rule.forbidden[1]
        return spec(world) if callable(spec) else dict(spec)
    names = pattern.pattern.converters or pattern.pattern.regex.groupindex
    return {key: SAMPLE_ARGS[key] for key in names}


def _admin_paths() -> list[str]:
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    return paths


def _query(names, value) -> str:
    values = value if isinstance(value, list) else [value]
    return "&".join(f"{quote(n)}={quote(v, safe='')}" for n in names for v in values)


@pytest.fixture
def pages(world, admin_user):
    """(url, token?) for every page: the project's URLs, the admin's lists, the sign-in pages."""
    urls = [
        (reverse(name, kwargs=_kwargs(name, pattern, world)), RULES[name].token)
        for name, pattern in url_patterns()
    ]
    urls += [(path, False) for path in _admin_paths()]
    urls += [(reverse(name), False) for name in ("account_login", "account_reset_password")]
    return urls


def test_every_url_survives_hostile_parameters(login, admin_user, pages, monkeypatch):
    # The test client copies every template's context for assertions this walk never makes:
    # without the copies the walk takes half the time.
    monkeypatch.setattr(test_client, "store_rendered_templates", lambda *args, **kwargs: None)
    started, cpu = time.monotonic(), time.process_time()
    token = token_create(user=admin_user, name="walk", by=admin_user)[1]
    # A 500 is counted, not raised: the walk lists every one.
    api = Client(headers={"OSDI-API-Token": token}, raise_request_exception=False)
    client = login(Client(raise_request_exception=False), admin_user)
    failures, statuses, names_seen = [], {}, set()

    def get(url, by_token, label, query):
        if by_token:
            cache.clear()  # the per-token rate limit would answer 429 instead of the view
        # Each request in its own savepoint, rolled back: on PostgreSQL one failed query would
        # abort the test's transaction and fail every request after it.
        savepoint = transaction.savepoint()
        try:
            response = (api if by_token else client).get(f"{url}?{query}")
            if response.streaming:  # an export fails while it streams: the user gets a 500
                b"".join(response.streaming_content)
            status = response.status_code
        except Exception:  # noqa: BLE001 - counted as the 500 a browser would be sent
            status, response = 500, None
        finally:
            transaction.set_rollback(False)  # then the rollback to the savepoint repairs it
            transaction.savepoint_rollback(savepoint)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append(f"{status} {url} {label}")
        return response

    for url, by_token in pages:
        # Every name empty first; the page's own fields are then sent everything else.
        first = get(url, by_token, "empty", _query(READ_BY_VIEWS, ""))
        names = set(READ_BY_VIEWS)
        html = first is not None and first.get("Content-Type", "").startswith("text/html")
        if html and not first.streaming:
            names |= set(FIELD_NAME.findall(first.content.decode())) - NOT_PARAMETERS
        names_seen |= names
        ordered = sorted(names)
        for label, value in {**REFUSED, **REACHING}.items():
            get(url, by_token, label, _query(ordered, value))
        for label, raw in RAW.items():
            get(url, by_token, label, "&".join(f"{quote(n)}={raw}" for n in ordered))

    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    values = 1 + len(REFUSED) + len(REACHING) + len(RAW)
    print(
        f"\nhostile GET walk: {len(pages)} URLs × {values} values "
        f"({len(names_seen)} parameter names) = {sum(statuses.values())} requests, "
        f"{len(failures)} 5xx, statuses {dict(sorted(statuses.items()))}, "
        f"{elapsed:.1f} s ({cpu:.1f} s of CPU)"
    )
    assert failures == [], "\n".join(failures)
    assert statuses.get(400, 0) >= len(pages) * len(REFUSED)  # refused before any view


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("q=ana", 200),
        ("q=a%00b", 400),
        ("q=%1b", 400),
        ("q=line%0Abreak%09tab", 200),  # a pasted line break or tab is text, not an attack
        (f"q={'x' * MAX_QUERY_VALUE}", 200),
        (f"q={'x' * (MAX_QUERY_VALUE + 1)}", 400),
        ("a%00=1", 400),  # the name too
    ],
)
def test_the_guard_refuses_only_what_no_person_types(client, login, admin_user, query, status):
    login(client, admin_user)
    response = client.get(f"{reverse('members:person_list')}?{query}")
    assert response.status_code == status
    if status == 400:
        assert "request" in response.content.decode().lower()


def test_the_guard_answers_before_sign_in_and_the_feed(client):
    assert client.get(f"{reverse('actions:ics')}?token=%00").status_code == 400
    assert client.get(f"{reverse('account_login')}?next=%00").status_code == 400
