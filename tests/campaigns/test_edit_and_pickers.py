"""The campaign edit page; the team and "who went" pickers as a type-ahead (issue 13, item 5)."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Stage
from tests.campaigns.factories import CampaignFactory, IssueFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def edit_url(campaign):
    return reverse("campaigns:edit", args=[campaign.pk])


@pytest.fixture
def campaign(congregation):
    return CampaignFactory(name="Safe homes", congregations=[congregation], stage=Stage.RESEARCH)


def test_edit_changes_name_goal_and_team_but_not_the_stage(
    client, login, organizer, congregation, other_congregation, campaign
):
    hidden = PersonFactory(congregation=other_congregation, level="leader")
    campaign.leaders.add(hidden)  # on the team, out of the organizer's sight: stays on it
    ana = PersonFactory(congregation=congregation, first_name="Ana", level="leader")
    page = login(client, organizer).get(edit_url(campaign)).content.decode()
    assert "Safe homes" in page and 'name="stage"' not in page
    assert 'data-testid="picker-leaders"' in page and "<select" in page  # issue, organizer only
    assert f'<option value="{ana.pk}"' not in page  # no native list of people
    response = client.post(
        edit_url(campaign),
        {
            "name": "Safe homes for all",
            "issue": campaign.issue_id,
            "goal": "Repairs in 90 days",
            "congregations": [congregation.pk],
            "leaders": [ana.pk],
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.goal, campaign.stage) == (
        "Safe homes for all",
        "Repairs in 90 days",
        Stage.RESEARCH,
    )
    assert set(campaign.leaders.all()) == {ana, hidden}


def test_invalid_edit_keeps_the_chosen_team(client, login, organizer, congregation, campaign):
    ana = PersonFactory(congregation=congregation, first_name="Ana", level="leader")
    response = login(client, organizer).post(
        edit_url(campaign), {"name": "", "issue": IssueFactory().pk, "leaders": [ana.pk]}
    )
    assert response.status_code == 200
    assert f'name="leaders" value="{ana.pk}" checked' in response.content.decode()


def test_someone_outside_scope_cannot_join_the_team(
    client, login, organizer, other_congregation, campaign
):
    stranger = PersonFactory(congregation=other_congregation, level="leader")
    data = {"name": "X", "issue": campaign.issue_id, "goal": "Y", "leaders": [stranger.pk]}
    assert login(client, organizer).post(edit_url(campaign), data).status_code == 200
    assert not campaign.leaders.exists()


def test_edit_refuses_outsiders_anonymous_and_wrong_method(
    client, login, organizer, leader, other_congregation
):
    theirs = CampaignFactory(congregations=[other_congregation])
    assert client.get(edit_url(theirs)).status_code == 302
    assert login(client, leader).get(edit_url(theirs)).status_code == 403
    assert login(client, organizer).get(edit_url(theirs)).status_code == 403
    assert client.get(reverse("campaigns:edit", args=[99999])).status_code == 404
    assert client.delete(edit_url(theirs)).status_code == 405


def test_who_went_offers_the_team_and_takes_anyone_in_scope(
    client, login, organizer, congregation, campaign
):
    teammate = PersonFactory(congregation=congregation, first_name="Tess", level="leader")
    campaign.leaders.add(teammate)
    walker = PersonFactory(congregation=congregation, first_name="Walt")
    url = reverse("campaigns:research_create", args=[campaign.pk])
    page = login(client, organizer).get(url).content.decode()
    assert 'data-testid="picker-who_went"' in page and f'value="{teammate.pk}"' in page
    response = client.post(
        url,
        {
            "held_on": datetime.date(2026, 11, 20).isoformat(),
            "met_with": "Housing director",
            "who_went": [teammate.pk, walker.pk],
        },
    )
    assert response.status_code == 302
    assert set(campaign.research_actions.get().who_went.all()) == {teammate, walker}
