"""Sign-in that fits a real assembly (docs/security.md): one door, limits keyed on the account and
the client's real address, a cache outage that never stops sign-in, the idle sign-out and the
headers on what a signed-in user is sent."""

import logging
import socket
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from conect import settings as production
from conect.middleware import LAST_SEEN_KEY
from tests.browser import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def rate_limits(settings):
    """The production limits (the test settings switch them off), on a fresh cache."""
    settings.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield settings
    cache.clear()


def attempt(client, user, password=PASSWORD, **headers):
    return client.post(
        f"{LOGIN}?next=/admin/", {"login": user.email, "password": password}, **headers
    )


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


class TestOneDoor:
    def test_admin_login_sends_to_allauth_with_next(self, client):
        response = client.get("/admin/login/?next=/admin/members/person/")
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next=/admin/members/person/"

    def test_posting_a_password_to_the_admin_login_checks_nothing(self, client, admin_user):
        response = client.post(
            "/admin/login/", {"username": admin_user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert not signed_in(client)

    def test_an_outside_next_is_dropped(self, client):
        response = client.get("/admin/login/?next=https://evil.example/")
        assert response["Location"] == f"{LOGIN}?next=/admin/"

    def test_signed_in_admin_goes_on_and_others_are_refused(self, client, login, admin_user, lead):
        assert login(client, admin_user).get("/admin/login/")["Location"] == "/admin/"
        assert login(client, lead).get("/admin/login/").status_code == 403

    def test_the_admin_door_leads_back_to_the_admin(self, client, admin_user):
        next_url = client.get("/admin/")["Location"]
        assert next_url.startswith("/admin/login/")
        login_url = client.get(next_url)["Location"]
        response = client.post(login_url, {"login": admin_user.email, "password": PASSWORD})
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


class TestRateLimits:
    def test_wrong_passwords_lock_the_account_not_the_hall(self, client, rate_limits, admin_user):
        # The way /admin/login/ leads: allauth's form with next=/admin/.
        for _ in range(5):
            assert attempt(client, admin_user, "wrong-guess").status_code == 200
        response = attempt(client, admin_user)  # the right password, too late
        assert response.status_code == 200
        assert TOO_MANY in response.content.decode()
        assert not signed_in(client)
        other = UserFactory(email="other@conect.example")
        assert attempt(client, other).status_code == 302  # same address, another account
        assert signed_in(client)

    def test_failures_spread_over_many_accounts_do_not_lock_out_a_neighbour(
        self, client, rate_limits
    ):
        accounts = UserFactory.create_batch(14)
        for number in range(30):
            attempt(client, accounts[number % 14], "typo")
        neighbour = UserFactory(email="neighbour@conect.example")
        assert attempt(client, neighbour).status_code == 302

    def test_per_address_limit_counts_the_client_behind_the_proxy(self, client, settings):
        settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,5/5m/key"}
        settings.TRUSTED_PROXY_COUNT = 1
        cache.clear()
        user, other = UserFactory(), UserFactory()
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        for _ in range(3):
            attempt(client, user, "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        blocked = attempt(client, other, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        assert TOO_MANY in blocked.content.decode()  # that client spent its failures
        # A forged left-hand entry changes nothing: the proxy's own entry is the rightmost.
        forged = attempt(client, other, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", **proxy)
        assert TOO_MANY in forged.content.decode()
        # Another client behind the same proxy signs in.
        assert (
            attempt(client, other, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 302
        )

    def test_too_many_attempts_from_one_address_get_a_page_that_says_so(self, client, settings):
        settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
        cache.clear()
        user = UserFactory()
        for _ in range(2):
            attempt(client, user, "wrong")
        response = attempt(client, user)
        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()
        cache.clear()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestRedisDown:
    @pytest.fixture
    def redis_down(self, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "conect.cache.FailOpenRedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        settings.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS
        return settings

    def test_sign_in_works_and_the_outage_is_logged(self, client, redis_down, lead, caplog):
        with caplog.at_level(logging.WARNING, logger="conect.cache"):
            response = attempt(client, lead)
        assert response.status_code == 302
        assert signed_in(client)
        # The first call to fail may be the fixtures' own (a saved user bumps conect.fragments).
        records = [*caplog.get_records("setup"), *caplog.records]
        warnings = [r for r in records if r.name == "conect.cache"]
        assert warnings and "unreachable" in warnings[0].getMessage()
        assert warnings[0].levelno == logging.WARNING

    def test_a_wrong_password_is_still_refused(self, client, redis_down, lead):
        response = attempt(client, lead, "wrong")
        assert response.status_code == 200
        assert not signed_in(client)

    def test_the_cache_behaves_as_empty(self, redis_down):
        assert cache.get("k", "default") == "default"
        assert cache.add("k", 1) is True
        assert cache.set("k", 1) is None
        assert cache.has_key("k") is False
        assert cache.get_many(["k"]) == {}
        with pytest.raises(ValueError):
            cache.incr("k")


class TestIdleTimeout:
    def age_session(self, client, seconds):
        session = client.session
        session[LAST_SEEN_KEY] = int(time.time()) - seconds
        session.save()

    @pytest.mark.parametrize("persona", ["admin_user", "organizer", "lead"])
    def test_staff_are_signed_out_after_eight_quiet_hours(self, client, login, request, persona):
        login(client, request.getfixturevalue(persona))
        assert signed_in(client)
        self.age_session(client, 8 * 3600 - 60)
        assert signed_in(client)  # 7h59 is still in time, and resets the clock
        self.age_session(client, 8 * 3600 + 1)
        response = client.get("/people/")
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next=/people/"
        assert not signed_in(client)

    def test_a_leader_is_not(self, client, login, leader):
        login(client, leader)
        signed_in(client)
        self.age_session(client, 9 * 3600)
        assert signed_in(client)

    def test_the_limit_is_a_setting(self, client, login, settings, lead):
        settings.CONECT = {**settings.CONECT, "STAFF_IDLE_MINUTES": 30}
        login(client, lead)
        signed_in(client)
        self.age_session(client, 31 * 60)
        assert not signed_in(client)

    def test_session_length_comes_from_the_environment(self):
        assert production.SESSION_COOKIE_AGE == 14 * 24 * 3600


class TestHeaders:
    def test_signed_in_pages_and_exports_are_not_stored(self, client, login, lead):
        login(client, lead)
        for url in ("/", "/people/", reverse("members:export")):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "no-store" in response["Cache-Control"], url
            assert "camera=()" in response["Permissions-Policy"]

    def test_anonymous_pages_get_the_permissions_policy(self, client):
        response = client.get(LOGIN)
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in response["Permissions-Policy"]

    def test_a_view_that_chose_its_caching_keeps_it(self, client, login, lead):
        response = login(client, lead).get(reverse("healthz"))
        assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
