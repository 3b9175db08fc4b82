"""On a phone (issue 13, item 4): the organizer's home lists the evaluation due, the menu and
/actions/'s "evaluation overdue" filter find it, and recording it shows the follow-ups created."""

import datetime

import pytest
from django.utils import timezone

from tests.campaigns.factories import ActionFactory, AttendanceFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_evaluation_due_from_home_to_follow_ups_created(
    phone, sign_in, screenshot, organizer, lead, congregation
):
    start = timezone.now() - datetime.timedelta(days=3)
    action = ActionFactory(
        title="Housing assembly",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        congregations=[congregation],
        created_by=organizer,
    )
    rosa = PersonFactory(congregation=congregation, first_name="Rosa", last_name="Delgado")
    AttendanceFactory(action=action, person=rosa, congregation=congregation, checked_in_at=start)
    sign_in(phone, organizer)
    owed = phone.get_by_test_id("evaluations-owed")
    assert "Housing assembly" in owed.inner_text() and "late" in owed.inner_text()
    screenshot(phone, "home-evaluations-owed")
    phone.goto("/actions/")
    phone.get_by_test_id("filter-evaluation-overdue").click()
    phone.get_by_text("1 of your actions has no group evaluation").wait_for()
    phone.goto(f"/actions/{action.pk}/evaluate/?kind=group")
    phone.get_by_label("What worked").fill("The testimonies")
    phone.get_by_label("What to change").fill("Start on time")
    phone.get_by_role("button", name="Record the evaluation").click()
    phone.wait_for_url(f"**/actions/{action.pk}/")
    created = phone.get_by_test_id("followups-created-people")
    created.wait_for()  # shown at once, or after the page asks again (htmx)
    assert "Rosa Delgado" in created.inner_text() and "Follow-ups created for 1 new person" in (
        phone.get_by_test_id("followups-created").inner_text()
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
