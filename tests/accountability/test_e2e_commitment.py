"""On a phone (issue 14): a leader records their own promise at an action, and sees it on their
own person page."""

import time

import pytest

from accountability.models import LeaderCommitment
from tests.campaigns.factories import ActionFactory

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
