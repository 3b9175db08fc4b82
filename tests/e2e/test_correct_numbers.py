"""On a phone, the numbers people act on are right (issue 13, item 6): a congregation's core
team, an official's scorecard, and the dues standing of congregations that are not members."""

import pytest

from congregations.models import CongregationStatus, Membership, MembershipRole
from congregations.tasks import tallies_refresh_task
from tests.campaigns.factories import CommitmentFactory, TargetFactory
from tests.factories import CongregationFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_core_team_is_this_congregations_own(
    phone, sign_in, screenshot, lead, congregation, other_congregation
):
    ours = PersonFactory(first_name="Keisha", last_name="Ours", congregation=congregation)
    theirs = PersonFactory(first_name="Tobias", last_name="Theirs", congregation=other_congregation)
    Membership.objects.filter(person__in=[ours, theirs]).update(role=MembershipRole.CORE_TEAM)
    Membership.objects.create(person=theirs, congregation=congregation, is_primary=False)
    tallies_refresh_task.delay()  # beat recounts every minute (congregations.tallies)
    sign_in(phone, lead)
    phone.goto(congregation.get_absolute_url())
    assert phone.get_by_text("Core team (1)").is_visible()
    team = phone.get_by_role("heading", name="Core team").locator("xpath=..")
    assert team.get_by_role("link").all_inner_texts() == ["Keisha Ours"]
    assert fits_the_phone(phone)
    screenshot(phone, "congregation-core-team")


def test_scorecard_counts_promises(phone, sign_in, screenshot, organizer):
    target = TargetFactory(name="Grace Mensah")
    CommitmentFactory(target=target, answer="yes", status="kept", evidence="Vote")
    CommitmentFactory(target=target, answer="partial", status="kept", evidence="Half")
    CommitmentFactory(target=target, answer="no", ask="Rent control")
    sign_in(phone, organizer)
    phone.goto(target.get_absolute_url())
    scorecard = phone.get_by_test_id("scorecard").inner_text()
    assert scorecard == "3 asks · 2 promised · 2 kept · 0 broken · 0 still open"
    refusal = phone.get_by_role("listitem").filter(has_text="Rent control")
    assert refusal.get_by_text("Not a promise").is_visible()
    assert refusal.get_by_role("button", name="Update").count() == 0
    assert fits_the_phone(phone)
    screenshot(phone, "target-scorecard")


def test_dues_standing_of_lapsed_and_prospects(phone, sign_in, screenshot, admin_user):
    CongregationFactory(name="Old First", status=CongregationStatus.LAPSED)
    CongregationFactory(name="New Hope", status=CongregationStatus.PROSPECT)
    CongregationFactory(name="Grace Chapel")
    sign_in(phone, admin_user)
    phone.goto("/dues/")
    for name, label in [
        ("Old First", "lapsed: not a member now"),
        ("New Hope", "prospect: no dues yet"),
        ("Grace Chapel", "in good standing"),
    ]:
        row = phone.get_by_role("row").filter(has_text=name)
        assert row.get_by_text(label).first.is_visible()
    assert fits_the_phone(phone)
    screenshot(phone, "dues-standing-labels")
