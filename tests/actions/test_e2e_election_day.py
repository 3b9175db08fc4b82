"""The election-day list on a phone: a lead marks who voted and turns the rest into follow-ups."""

import datetime

import pytest
from django.utils import timezone

from actions.civic import pledge_card_collect
from actions.models import Election
from relationships.models import FollowUp
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_election_day_list_on_a_phone(phone, sign_in, screenshot, lead, congregation):
    election = Election.objects.create(
        name="Hartford municipal 2027", held_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    names = [("Marisol", "Cruz"), ("Darnell", "Banks"), ("Ruth", "Adler")]
    for first, last in names:
        person = PersonFactory(congregation=congregation, first_name=first, last_name=last)
        pledge_card_collect(election=election, person=person, by=lead)
    sign_in(phone, lead)
    phone.goto("/actions/elections/")
    phone.get_by_role("link", name=congregation.name).click()
    phone.get_by_test_id("election-day-list").wait_for()
    assert "3 people pledged" in phone.get_by_test_id("still-to-confirm").inner_text()
    phone.locator("li", has_text="Darnell Banks").get_by_role("button", name="Voted").click()
    phone.get_by_text("Darnell Banks voted.").wait_for()
    assert "2 people pledged" in phone.get_by_test_id("still-to-confirm").inner_text()
    phone.get_by_role("button", name="Make them my follow-ups for election day").click()
    phone.get_by_text("2 follow-ups created for you.").wait_for()
    assert FollowUp.objects.filter(owner=lead).count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "election-day-phone")
