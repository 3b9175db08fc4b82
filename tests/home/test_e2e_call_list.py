"""On a phone (issue 13, item 3): a lead invites from their congregation, sees the pledge gap as a
number and the people still to call, and records a yes from the home page; a member of two
congregations invited by the lead's congregation counts for it."""

import re

import pytest

from actions.models import Attendance
from congregations.models import Membership
from tests.campaigns.factories import ActionFactory, PledgeFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lead_invites_and_works_the_call_list(
    phone, sign_in, screenshot, lead, congregation, other_congregation
):
    action = ActionFactory(title="Housing assembly", congregations=[congregation])
    PledgeFactory(action=action, congregation=congregation, pledged=3)
    PersonFactory(first_name="Wanda", last_name="Waits", congregation=congregation)
    ana = PersonFactory(first_name="Ana", last_name="Two", congregation=other_congregation)
    Membership.objects.create(person=ana, congregation=congregation, is_primary=False)

    sign_in(phone, lead)
    phone.goto(f"/actions/{action.pk}/invite/")
    assert phone.get_by_label("Inviting congregation").input_value() == str(congregation.pk)
    phone.get_by_role("button", name="Invite", exact=True).click()
    phone.get_by_text("2 people invited.").wait_for()

    phone.goto("/")
    gap = phone.get_by_test_id("pledge-gap")
    assert re.sub(r"\s+", " ", gap.inner_text()) == "3 more yeses to meet your pledge of 3"
    calls = phone.get_by_test_id("call-list")
    assert calls.get_by_role("listitem").count() == 2
    row = calls.get_by_role("listitem").filter(has_text="Ana Two")
    row.get_by_role("button", name="Yes").click()
    row = calls.get_by_role("listitem").filter(has_text="Ana Two")
    row.get_by_test_id("rsvp-status").filter(has_text="Yes").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "lead-home-call-list")

    attendance = Attendance.objects.get(person=ana)
    assert attendance.congregation == congregation and attendance.rsvp == "yes"
    phone.reload()
    gap = phone.get_by_test_id("pledge-gap")
    assert re.sub(r"\s+", " ", gap.inner_text()) == "2 more yeses to meet your pledge of 3"
    assert phone.get_by_test_id("call-list").get_by_role("listitem").count() == 1
