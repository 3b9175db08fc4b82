"""Staff's network view on a phone (issue 13, items 7 and 9): the congregations list sorts by
one-on-ones in the last 30 days, the reports page draws one-on-ones over time, and a person's
page shows the practice behind their rung. Nothing is wider than the screen."""

import datetime

import pytest

from relationships.selectors import local_today
from tests.factories import CongregationFactory, PersonFactory
from tests.relationships.factories import OneOnOneFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_network_view_for_staff_on_a_phone(phone, sign_in, screenshot, admin_user):
    quiet = CongregationFactory(name="Aardvark Chapel")
    busy = CongregationFactory(name="Zion Baptist")
    person = PersonFactory(congregation=busy, first_name="Dora", last_name="Practice")
    for _ in range(3):
        OneOnOneFactory(
            author=admin_user,
            person=person,
            congregation=busy,
            held_on=local_today() - datetime.timedelta(days=2),
        )
    sign_in(phone, admin_user)
    phone.goto("/congregations/")
    names = phone.locator(".list-group-item a.fw-semibold").all_inner_texts()
    assert names.index("Aardvark Chapel") < names.index("Zion Baptist")
    phone.get_by_label("Sort by").select_option("one_on_ones")
    phone.get_by_role("button", name="Sort").click()
    phone.wait_for_url("**sort=one_on_ones**")
    names = phone.locator(".list-group-item a.fw-semibold").all_inner_texts()
    assert names[0] == "Zion Baptist"
    assert (
        "3 one-on-ones in the last 30 days" in phone.get_by_test_id("activity").first.inner_text()
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "congregations-activity-phone")
    assert quiet.pk

    phone.goto("/actions/reports/")
    chart = phone.get_by_test_id("one-on-ones-over-time")
    chart.wait_for()
    assert "Zion Baptist" in chart.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(person.get_absolute_url())
    practice = phone.get_by_test_id("practice")
    practice.wait_for()
    assert "3" in practice.inner_text()
    assert phone.get_by_test_id("ladder-suggestion").is_visible()  # two one-on-ones had: ready
    screenshot(phone, "person-practice-phone")
