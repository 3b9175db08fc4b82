"""Signing in: email and password, no open sign-up, password reset; the email is the
username."""

import pytest
from django.urls import reverse

from members.models import User

pytestmark = pytest.mark.django_db


class TestLogin:
    def test_login_with_email_and_password(self, client, organizer):
        response = client.post(
            reverse("account_login"),
            {"login": "Organizer@conect.example", "password": "pw-for-tests-1"},
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200

    def test_wrong_password_shows_an_error(self, client, organizer):
        response = client.post(
            reverse("account_login"), {"login": organizer.email, "password": "nope"}
        )
        assert response.status_code == 200
        assert b"alert" in response.content
        assert client.get(reverse("home")).status_code == 302

    def test_there_is_no_open_signup(self, client):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-pass-123",
                "password2": "a-long-pass-123",
            },
        )
        assert response.status_code == 200
        assert b"closed" in response.content.lower()
        assert not User.objects.filter(email="new@example.org").exists()

    def test_password_reset_sends_an_email(self, client, organizer, mailoutbox):
        response = client.post(reverse("account_reset_password"), {"email": organizer.email})
        assert response.status_code == 302
        assert len(mailoutbox) == 1 and organizer.email in mailoutbox[0].to

    def test_email_is_the_username(self, db):
        user = User.objects.create_user("Mixed@Example.ORG")
        assert user.email == "mixed@example.org"
        assert not user.has_usable_password()
        with pytest.raises(ValueError):
            User.objects.create_user("")
