"""On a phone (issue 14): a leader records their own promise at an action, and sees it on their
own person page."""

import datetime
import time

import pytest
from django.utils import timezone

from accountability.models import LeaderCommitment
from conect.access import Role
from tests.browser import sign_out
from tests.campaigns.factories import ActionFactory, PastActionFactory
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_leader_records_a_promise_and_sees_it_on_their_page(
    phone, sign_in, screenshot, leader, congregation
):
    action = ActionFactory(title="Housing assembly", congregations=[congregation])
    sign_in(phone, leader)
    phone.goto(f"/actions/{action.pk}/")
    panel = phone.get_by_test_id("leader-commitments-panel")
    panel.wait_for()
    started = time.perf_counter()
    # "Bring people to this action" is chosen already: the number is the one thing to type.
    panel.get_by_label("How many").fill("8")  # 1
    panel.get_by_role("button", name="Record the commitment").click()  # 2
    phone.get_by_text("Commitment recorded.").wait_for()
    seconds = time.perf_counter() - started
    print(f"\nrecording a leader's promise on a phone: 2 interactions, {seconds:.2f} s")
    assert "said they'd bring 8 people" in phone.get_by_test_id("bring-summary").inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "leader-commitment-recorded")

    made = LeaderCommitment.objects.get()
    assert (made.person, made.action, made.target) == (leader.person, action, 8)

    phone.goto(f"/people/{leader.person.pk}/")
    mine = phone.get_by_test_id("person-commitments")
    mine.wait_for()
    assert "1 open · 0 kept · 0 broken" in mine.inner_text()
    assert "bring 8 people to Housing assembly" in mine.inner_text()
    assert "0 of 8" in mine.inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "leader-commitment-on-their-page")


def _resolved(person, action, target, came, status):
    return LeaderCommitment.objects.create(
        person=person,
        kind="bring",
        target=target,
        made_on=timezone.localdate(action.starts_at) - datetime.timedelta(days=7),
        due_on=timezone.localdate(action.starts_at),
        action=action,
        made_at="action",
        source_action=action,
        status=status,
        evidence=came,
        resolved_at=timezone.now(),
    )


def test_the_lead_and_the_evaluation_see_kept_and_broken(
    phone, sign_in, screenshot, lead, organizer, leader, congregation
):
    action = PastActionFactory(title="Housing assembly", congregations=[congregation])
    other = UserFactory(role=Role.LEADER, first_name="Ruth", last_name="Okafor")
    PersonFactory(user=other, first_name="Ruth", last_name="Okafor", congregation=congregation)
    _resolved(leader.person, action, 10, 12, "kept")
    _resolved(other.person, action, 30, 19, "broken")

    sign_in(phone, lead)
    panel = phone.get_by_test_id("leaders-commitments")
    panel.wait_for()
    assert "0 open · 1 kept · 1 broken" in panel.inner_text()
    assert "Ruth Okafor" in panel.inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "leader-commitments-lead-home")
    sign_out(phone)

    sign_in(phone, organizer)
    phone.goto(f"/actions/{action.pk}/evaluate/")
    summary = phone.get_by_test_id("bring-summary")
    summary.wait_for()
    assert summary.inner_text() == "Of 40 people our leaders said they'd bring, 31 came."
    assert fits_the_phone(phone)
    screenshot(phone, "leader-commitments-evaluation")
