"""Only who a commitment involves marks it kept or broken (issue 11, Must 3): a scoped organizer
changes commitments of a campaign or an action that involves one of their congregations, or
those they recorded; any other commitment is out of scope (404). The whole network changes all."""

import pytest
from django.urls import reverse

from campaigns.models import Commitment
from tests.campaigns.factories import (
    ActionFactory,
    CampaignFactory,
    CommitmentFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

KEPT = {"status": "kept", "evidence": "Council vote 9-0"}


def status_url(commitment):
    return reverse("targets:commitment_status", args=[commitment.pk])


@pytest.fixture
def theirs(other_congregation):
    """Asked at another congregation's action, in another congregation's campaign."""
    return CommitmentFactory(
        campaign=CampaignFactory(congregations=[other_congregation]),
        action=ActionFactory(congregations=[other_congregation]),
    )


def test_a_scoped_organizer_cannot_mark_another_congregations_commitment(
    client, login, organizer, theirs
):
    response = login(client, organizer).post(status_url(theirs), KEPT)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"
    page = client.get(theirs.target.get_absolute_url()).content.decode()
    assert status_url(theirs) not in page  # no form for it
    assert "Record an ask" in page


@pytest.mark.parametrize("through", ["campaign", "action", "recorded"])
def test_a_scoped_organizer_marks_the_commitments_that_involve_them(
    client, login, organizer, congregation, through
):
    commitment = CommitmentFactory()
    if through == "campaign":
        commitment.campaign = CampaignFactory(congregations=[congregation])
    elif through == "action":
        commitment.action = ActionFactory(congregations=[congregation])
    else:
        commitment.recorded_by = organizer
    commitment.save()
    login(client, organizer)
    assert (
        status_url(commitment) in client.get(commitment.target.get_absolute_url()).content.decode()
    )
    assert client.post(status_url(commitment), KEPT).status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "kept"


@pytest.mark.parametrize("persona", ["network_organizer", "admin_user"])
def test_the_whole_network_marks_every_commitment(client, login, request, persona, theirs):
    login(client, request.getfixturevalue(persona))
    assert client.post(status_url(theirs), KEPT).status_code == 302


def test_asks_are_recorded_only_against_campaigns_and_actions_in_scope(
    client, login, organizer, congregation, other_congregation
):
    target = TargetFactory()
    their_action = ActionFactory(congregations=[other_congregation])
    my_action = ActionFactory(congregations=[congregation])
    login(client, organizer)
    data = {"ask": "Fund it", "answer": "yes", "action": their_action.pk}
    assert client.post(target.get_absolute_url(), data).status_code == 200  # not a choice
    assert not Commitment.objects.exists()
    assert (
        client.post(target.get_absolute_url(), {**data, "action": my_action.pk}).status_code == 302
    )
    assert Commitment.objects.get().action == my_action
