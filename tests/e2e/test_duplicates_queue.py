"""On a phone, the duplicate queue (issue 13, item 10): strongest pairs first, the newest on
request, one congregation at a time, and a merge that keeps both email addresses."""

import pytest

from members.duplicates import duplicates_refresh
from members.models import Person
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_queue_order_filter_and_merge(
    phone, sign_in, screenshot, network_organizer, congregation, other_congregation
):
    PersonFactory(congregation=congregation, first_name="Lia", last_name="Vega", email="")
    PersonFactory(congregation=congregation, first_name="Lia", last_name="Vega", email="")
    for first, email in (("Ana", "ana@home.org"), ("Anita", "anita@work.org")):
        PersonFactory(
            congregation=congregation,
            first_name=first,
            last_name="Ruiz",
            email=email,
            phone="+18605550199",
        )
    PersonFactory(congregation=other_congregation, first_name="Zed", email="z@x.org")
    PersonFactory(congregation=other_congregation, first_name="Zed", email="z@x.org")
    duplicates_refresh()
    sign_in(phone, network_organizer)
    phone.goto("/people/duplicates/")
    rows = phone.locator(".list-group-item").all_inner_texts()
    assert "Zed" in rows[0] and "same email" in rows[0]  # the strongest reason first
    phone.get_by_label("Congregation").select_option(str(congregation.pk))
    phone.wait_for_url(f"**congregation={congregation.pk}**")
    rows = phone.locator(".list-group-item").all_inner_texts()
    assert "Ruiz" in rows[0] and not any("Zed" in row for row in rows)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "duplicates-queue")
    phone.locator(".list-group-item").first.get_by_role("link", name="Compare and merge").click()
    phone.get_by_role("button", name="Merge").click()
    phone.wait_for_url("**/people/*/")
    survivor = Person.objects.get(last_name="Ruiz")
    emails = {survivor.email, *survivor.other_emails.values_list("email", flat=True)}
    assert emails == {"ana@home.org", "anita@work.org"}
    assert phone.get_by_test_id("other-emails").is_visible()
