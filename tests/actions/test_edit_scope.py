"""An organizer scoped to some congregations changes only the actions that involve them
(issue 11, Must 3): one of their congregations takes part, they scheduled it, or they lead its
campaign. Any other action is public to read and out of scope to change: 404. Network-wide
organizers and admins change every action."""

import pytest
from django.urls import reverse

from actions.models import Evaluation
from tests.campaigns.factories import ActionFactory, CampaignFactory, PastActionFactory

pytestmark = pytest.mark.django_db


def edit_data(action, **extra):
    return {
        "kind": action.kind,
        "title": "Retitled",
        "place": action.place,
        "starts_at": "2026-03-14T10:00",
        "ends_at": "2026-03-14T12:00",
        "turnout_goal": 10,
        **extra,
    }


def evaluation_data():
    return {"kind": "group", "turnout": 3, "what_worked": "x", "what_to_change": "y"}


def test_a_scoped_organizer_cannot_edit_another_congregations_action(
    client, login, organizer, other_congregation
):
    theirs = ActionFactory(congregations=[other_congregation], title="Their vigil")
    login(client, organizer)
    url = reverse("actions:edit", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, edit_data(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Their vigil"
    page = client.get(theirs.get_absolute_url())  # still public information to read
    assert page.status_code == 200 and url not in page.content.decode()


def test_nor_evaluate_it(client, login, organizer, other_congregation):
    theirs = PastActionFactory(congregations=[other_congregation])
    url = reverse("actions:evaluate", args=[theirs.pk])
    assert login(client, organizer).get(url).status_code == 404
    assert client.post(url, evaluation_data()).status_code == 404
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "involved",
    ["takes part", "scheduled it", "leads its campaign"],
)
def test_a_scoped_organizer_edits_the_actions_that_involve_them(
    client, login, organizer, congregation, other_congregation, involved
):
    action = ActionFactory(congregations=[other_congregation])
    if involved == "takes part":
        action.congregations.add(congregation)
    elif involved == "scheduled it":
        action.created_by = organizer
        action.save()
    else:
        action.campaign = CampaignFactory(lead_organizer=organizer)
        action.save()
    url = reverse("actions:edit", args=[action.pk])
    login(client, organizer)
    assert url in client.get(action.get_absolute_url()).content.decode()
    assert client.post(url, edit_data(action)).status_code == 302
    action.refresh_from_db()
    assert action.title == "Retitled"


@pytest.mark.parametrize("persona", ["network_organizer", "admin_user"])
def test_the_whole_network_edits_every_action(client, login, request, persona, other_congregation):
    action = ActionFactory(congregations=[other_congregation])
    login(client, request.getfixturevalue(persona))
    assert (
        client.post(reverse("actions:edit", args=[action.pk]), edit_data(action)).status_code == 302
    )


def test_a_lead_of_a_taking_part_congregation_is_403(client, login, lead, congregation):
    action = ActionFactory(congregations=[congregation])
    assert login(client, lead).get(reverse("actions:edit", args=[action.pk])).status_code == 403
