"""On a phone: a lead pledges turnout; a door volunteer checks in three people and a walk-in; an
organizer records the group evaluation and the follow-ups appear for the lead."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Attendance, TurnoutPledge
from relationships.models import FollowUp
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pledge_check_in_walk_in_evaluate(
    phone, sign_in, screenshot, lead, organizer, congregation
):
    now = timezone.now()
    action = ActionFactory(
        title="Housing assembly",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=1),
        turnout_goal=50,
        congregations=[congregation],
    )
    for first, last in [("Maria", "Santos"), ("Marcus", "Bell"), ("Ana", "Ruiz")]:
        PersonFactory(first_name=first, last_name=last, congregation=congregation)

    # The lead pledges turnout.
    sign_in(phone, lead)
    phone.goto(action.get_absolute_url())
    phone.get_by_label("We will bring").fill("40")
    phone.get_by_role("button", name="Pledge", exact=True).click()
    phone.get_by_text("Pledge recorded.").wait_for()
    assert TurnoutPledge.objects.get(action=action).pledged == 40
    screenshot(phone, "action-pledged")

    # At the door: three letters, one tap, three times.
    phone.goto(f"/actions/{action.pk}/check-in/")
    search = phone.get_by_placeholder("Search name…")
    for query, name in [("Mar", "Maria Santos"), ("Mar", "Marcus Bell"), ("Ana", "Ana Ruiz")]:
        search.fill(query)
        row = phone.get_by_role("listitem").filter(has_text=name)
        row.get_by_role("button", name="Check in").click()
        row.get_by_text("Checked in").wait_for()
    assert phone.get_by_test_id("checked-in-count").first.inner_text() == "3"

    # A walk-in: after the names, the congregation is already chosen; phone (1) and tap (2).
    phone.get_by_label("First name").fill("Rosa")
    phone.get_by_label("Last name").fill("Díaz")
    phone.get_by_label("Phone or email").fill("860 555 0199")
    phone.get_by_role("button", name="Add & check in").click()
    phone.get_by_test_id("walk-in-added").wait_for()
    assert phone.get_by_test_id("checked-in-count").first.inner_text() == "4"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "door-check-in")
    assert Attendance.objects.filter(action=action, checked_in_at__isnull=False).count() == 4

    # The action ends; the organizer records the group evaluation.
    action.ends_at = timezone.now() - datetime.timedelta(minutes=5)
    action.save(update_fields=["ends_at"])
    phone.context.clear_cookies()
    sign_in(phone, organizer)
    phone.goto(action.get_absolute_url())
    assert phone.get_by_text("Group evaluation due").is_visible()
    phone.get_by_role("link", name="Record the group evaluation").click()
    assert phone.get_by_label("Turnout").input_value() == "4"
    phone.get_by_label("What worked").fill("Stories from tenants")
    phone.get_by_label("What to change").fill("Start on time")
    phone.get_by_role("button", name="Record the evaluation").click()
    phone.get_by_text("Follow-ups created for 4 new people.").wait_for()
    screenshot(phone, "action-evaluated")

    # Back to relationships: the lead's follow-ups list has the four attendees.
    assert FollowUp.objects.filter(owner=lead).count() == 4
    phone.context.clear_cookies()
    sign_in(phone, lead)
    phone.goto("/follow-ups/")
    for name in ["Maria Santos", "Marcus Bell", "Ana Ruiz", "Rosa Díaz"]:
        assert phone.get_by_text(name).first.is_visible()
