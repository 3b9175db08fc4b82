"""On a phone (issue 13, item 5): the menu finds the one-on-one and house-meeting lists, and the
campaign edit page picks the leaders' team through the type-ahead, same names told apart."""

import pytest

from campaigns.models import Stage
from tests.campaigns.factories import CampaignFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_menu_lists_and_the_campaign_team_picker(
    phone, sign_in, screenshot, organizer, congregation
):
    campaign = CampaignFactory(name="Safe homes", congregations=[congregation], stage=Stage.ACT)
    PersonFactory(
        congregation=congregation,
        first_name="Ana",
        last_name="Ruiz",
        town="Hartford",
        level="leader",
    )
    PersonFactory(
        congregation=congregation,
        first_name="Ana",
        last_name="Ruiz",
        town="Bristol",
        level="leader",
    )
    sign_in(phone, organizer)
    phone.get_by_role("button", name="Open the menu").click()
    phone.locator("#nav.show:not(.collapsing)").wait_for()
    phone.get_by_role("link", name="One-on-ones").click()
    phone.wait_for_url("**/one-on-ones/")
    phone.get_by_role("button", name="Open the menu").click()
    phone.locator("#nav.show:not(.collapsing)").wait_for()
    phone.get_by_role("link", name="House meetings").click()
    phone.wait_for_url("**/house-meetings/")

    phone.goto(campaign.get_absolute_url())
    phone.get_by_role("link", name="Edit the campaign").click()
    phone.wait_for_url("**/edit/")
    phone.wait_for_load_state()  # htmx (deferred) listens only once the page has loaded
    phone.get_by_label("Leaders' team: search by name").fill("ana ruiz")
    bristol = phone.locator("#leaders-results label.person-choice", has_text="Bristol")
    bristol.click()
    phone.locator("#leaders-choices label.person-choice", has_text="Bristol").wait_for()
    screenshot(phone, "campaign-edit-team")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url(campaign.get_absolute_url())
    assert [p.town for p in campaign.leaders.all()] == ["Bristol"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
