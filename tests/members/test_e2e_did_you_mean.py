"""Adding someone who is already there, on a phone: the form asks "did you mean …?" with the
person to open, and "None of these" still adds the new one (issue 13, item 10)."""

import pytest

from members.models import Person
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_did_you_mean_on_a_phone(phone, sign_in, screenshot, lead, congregation):
    there = PersonFactory(
        congregation=congregation, first_name="Ana", last_name="Ruiz", town="Hartford"
    )
    sign_in(phone, lead)
    phone.goto("/people/new/")
    phone.get_by_label("First name").fill("Ana")
    phone.get_by_label("Last name").fill("Ruiz")
    phone.get_by_role("button", name="Save").click()
    offered = phone.get_by_test_id("did-you-mean")
    offered.wait_for()
    assert (
        offered.get_by_role("link", name="Ana Ruiz").get_attribute("href")
        == there.get_absolute_url()
    )
    assert "Hartford" in offered.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "did-you-mean-phone")
    phone.get_by_label("None of these: add a new person").check()
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url("**/people/*/")
    assert Person.objects.filter(first_name="Ana", last_name="Ruiz").count() == 2
