"""Each persona signs in on a phone and lands on their own home page."""

import pytest

from tests.browser import sign_out
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("admin_user", "The network"),
        ("organizer", "This week"),
        ("lead", "St. Mark's AME Church"),
        ("leader", "My congregation"),
    ],
)
def test_persona_signs_in_on_a_phone(
    request, phone, sign_in, screenshot, congregation, persona, heading
):
    PersonFactory.create_batch(3, congregation=congregation)
    user = request.getfixturevalue(persona)
    sign_in(phone, user)
    assert phone.get_by_role("heading", name=heading).is_visible()
    assert phone.get_by_test_id("signed-in-as").count() == 1
    # The page fits the phone: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert screenshot(phone, f"home-{persona}").stat().st_size > 10_000


def test_menu_opens_and_signs_out(phone, sign_in, organizer):
    sign_in(phone, organizer)
    sign_out(phone)
    assert "/accounts/" in phone.url


def test_wrong_password_stays_on_login(phone, organizer):
    phone.goto("/accounts/login/")
    phone.get_by_label("Email").fill(organizer.email)
    phone.get_by_label("Password").fill("wrong")
    phone.get_by_role("button", name="Sign in").click()
    assert phone.get_by_role("alert").is_visible()
    assert "/accounts/login/" in phone.url
