"""The equity report on a phone: an organizer picks a congregation and reads both tables, with
the small counts shown as dots and nothing wider than the screen."""

import pytest

from conect.ladder import Level
from members.demographics import demographics_record
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_equity_report_on_a_phone(phone, sign_in, screenshot, organizer, congregation):
    for level, groups, n in [
        (Level.MEMBER, ["black"], 9),
        (Level.MEMBER, ["latino"], 7),
        (Level.LEADER, ["black"], 6),
        (Level.LEADER, ["latino"], 2),  # under 5: a dot, and its partners too
    ]:
        for _ in range(n):
            person = PersonFactory(congregation=congregation, level=level)
            demographics_record(person=person, groups=groups, consent=True, by=organizer)
    sign_in(phone, organizer)
    phone.goto("/people/equity/")
    phone.get_by_label("Congregation").select_option(congregation.slug)
    phone.get_by_role("button", name="Show").click()
    phone.wait_for_url(f"**congregation={congregation.slug}")
    ladder = phone.get_by_test_id("equity-ladder")
    assert ladder.is_visible() and phone.get_by_test_id("equity-trend").is_visible()
    assert "24 of" in phone.get_by_test_id("equity-coverage").inner_text()
    latino = ladder.locator("tr", has_text="Hispanic or Latino").inner_text()
    assert "·" in latino and "2" not in latino.split()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "equity-report-phone")
