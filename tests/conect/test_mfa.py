"""Two-step sign-in (allauth.mfa): required of admins and network-wide organizers, optional for
everyone else; one login door, `/admin/login/` included (docs/security.md)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.browser import PASSWORD
from tests.totp import totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def mfa_on(settings):
    """The suite runs with MFA_REQUIRED off (force_login personas); these tests are about it."""
    settings.CONECT = {**settings.CONECT, "MFA_REQUIRED": True}
    cache.clear()  # used TOTP codes are remembered in the cache


def password_login(client, user, next_url=""):
    data = {"login": user.email, "password": PASSWORD}
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def activate_totp(client):
    """Set up an authenticator app on the signed-in client; returns its secret."""
    response = client.get(ACTIVATE)
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def next_step_code(secret):
    """The code of the next 30-second step: the current one was just used (no replays); the
    one-step tolerance accepts it."""
    return totp_code(secret, at=time.time() + 30)


class TestRequiredForWholeNetwork:
    def test_admin_is_sent_to_set_up_and_can_use_nothing_else(self, client, admin_user):
        response = password_login(client, admin_user)
        assert response.status_code == 302
        for path in ("/", "/people/", "/admin/", "/congregations/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"] == ACTIVATE
        page = client.get(ACTIVATE)
        assert page.status_code == 200
        assert "two-step sign-in" in page.content.decode()

    def test_setup_with_a_wrong_code_is_refused_and_keeps_the_secret(self, client, admin_user):
        password_login(client, admin_user)
        secret = client.get(ACTIVATE).context["form"].secret
        response = client.post(
            ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "1"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert response.context["form"].secret == secret
        assert not Authenticator.objects.filter(user=admin_user).exists()
        assert client.get("/")["Location"] == ACTIVATE

    def test_enrolment_opens_the_app_and_the_next_login_asks_for_the_code(self, client, admin_user):
        password_login(client, admin_user)
        secret = activate_totp(client)
        codes_page = client.get(reverse("mfa_view_recovery_codes"))
        assert codes_page.status_code == 200
        recovery_codes = codes_page.context["unused_codes"]
        assert len(recovery_codes) == 10
        assert client.get("/").status_code == 200
        assert client.get("/admin/").status_code == 200

        client.post(reverse("account_logout"))
        response = password_login(client, admin_user)
        assert response["Location"] == reverse("mfa_authenticate")
        assert client.get("/")["Location"].startswith("/accounts/login/")  # not signed in yet
        response = client.post(reverse("mfa_authenticate"), {"code": "12345"})
        assert response.status_code == 200 and response.context["form"].errors
        response = client.post(reverse("mfa_authenticate"), {"code": next_step_code(secret)})
        assert response.status_code == 302
        assert client.get("/").status_code == 200

        # A lost phone: a recovery code signs in once.
        client.post(reverse("account_logout"))
        password_login(client, admin_user)
        response = client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        client.post(reverse("account_logout"))
        password_login(client, admin_user)
        response = client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
        assert response.status_code == 200  # used up

    def test_network_wide_organizer_must_too(self, client, network_organizer):
        password_login(client, network_organizer)
        assert client.get("/")["Location"] == ACTIVATE

    def test_required_user_cannot_turn_it_off(self, client, admin_user):
        password_login(client, admin_user)
        activate_totp(client)
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 200
        assert Authenticator.objects.filter(user=admin_user, type="totp").exists()
        assert "Turn off" not in client.get(reverse("mfa_index")).content.decode()

    def test_sign_out_language_and_health_stay_open(self, client, admin_user):
        password_login(client, admin_user)
        assert client.get(reverse("healthz")).status_code in (200, 503)
        response = client.post(reverse("set_language"), {"language": "es", "next": ACTIVATE})
        assert response["Location"] == ACTIVATE
        assert client.get(ACTIVATE).status_code == 200
        assert client.post(reverse("account_logout")).status_code == 302
        assert client.get("/")["Location"].startswith("/accounts/login/")

    def test_an_htmx_request_gets_a_full_page_redirect(self, client, admin_user):
        password_login(client, admin_user)
        response = client.get("/people/", headers={"HX-Request": "true"})
        assert response.status_code == 204
        assert response["HX-Redirect"] == ACTIVATE

    def test_switched_off_by_setting(self, client, settings, admin_user):
        settings.CONECT = {**settings.CONECT, "MFA_REQUIRED": False}
        password_login(client, admin_user)
        assert client.get("/").status_code == 200


class TestOptionalForOthers:
    @pytest.mark.parametrize("persona", ["organizer", "lead", "leader"])
    def test_not_required(self, client, request, persona):
        user = request.getfixturevalue(persona)
        password_login(client, user)
        assert client.get("/").status_code == 200
        page = client.get(reverse("mfa_index"))
        assert page.status_code == 200
        assert 'data-testid="mfa-required"' not in page.content.decode()

    def test_a_lead_may_turn_it_on_and_off(self, client, lead):
        password_login(client, lead)
        assert reverse("mfa_index") in client.get("/").content.decode()  # in the menu
        secret = activate_totp(client)
        client.post(reverse("account_logout"))
        assert password_login(client, lead)["Location"] == reverse("mfa_authenticate")
        client.post(reverse("mfa_authenticate"), {"code": next_step_code(secret)})
        assert client.get("/").status_code == 200
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=lead, type="totp").exists()


class TestPages:
    @pytest.mark.parametrize(
        "name",
        [
            "mfa_index",
            "mfa_activate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
        ],
    )
    def test_anonymous_goes_to_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_setup_page_on_a_phone_offers_the_app_link_and_the_key(self, client, lead):
        password_login(client, lead)
        page = client.get(ACTIVATE).content.decode()
        assert 'href="otpauth://totp/' in page
        assert 'inputmode="numeric"' in page
        assert 'autocomplete="one-time-code"' in page

    def test_spanish(self, client, lead):
        password_login(client, lead)
        client.post(reverse("set_language"), {"language": "es", "next": "/"})
        assert "Configure el inicio de sesión en dos pasos" in client.get(ACTIVATE).content.decode()


class TestLostPhone:
    def test_admin_sees_no_secret_and_deleting_brings_the_setup_back(
        self, client, settings, admin_user, network_organizer
    ):
        other = Client()
        password_login(other, network_organizer)
        secret = activate_totp(other)
        authenticator = Authenticator.objects.get(user=network_organizer, type="totp")
        password_login(client, admin_user)
        activate_totp(client)
        page = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
        assert page.status_code == 200
        assert secret not in page.content.decode()
        assert str(network_organizer) in page.content.decode()
        response = client.post(
            f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
        assert other.get("/")["Location"] == ACTIVATE
