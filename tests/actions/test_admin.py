"""The staff admin schedules actions through actions.services, as the app does (issue 10)."""

import pytest
from django.urls import reverse

from actions.models import Action

pytestmark = pytest.mark.django_db


def _data(congregation, **extra):
    data = {
        "kind": "public_action",
        "title": "  Housing accountability night ",
        "starts_at_0": "2027-03-02",
        "starts_at_1": "19:00:00",
        "ends_at_0": "2027-03-02",
        "ends_at_1": "21:00:00",
        "place": "Hartford",
        "turnout_goal": "300",
        "agenda": "",
        "congregations": [congregation.pk],
        "created_at_0": "2027-01-01",
        "created_at_1": "10:00:00",
        "pledges-TOTAL_FORMS": "0",
        "pledges-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def _pledge_prefix(client):
    formsets = client.get(reverse("admin:actions_action_add")).context["inline_admin_formsets"]
    return formsets[0].formset.prefix


def test_an_action_added_in_the_admin_is_made_by_the_service(
    client, login, admin_user, congregation
):
    login(client, admin_user)
    prefix = _pledge_prefix(client)
    data = _data(congregation)
    data = {key.replace("pledges-", f"{prefix}-"): value for key, value in data.items()}
    response = client.post(reverse("admin:actions_action_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action = Action.objects.get()
    assert action.created_by == admin_user  # stamped by the service, not typed in
    assert action.title == "Housing accountability night"  # the service's tidy-up
    assert list(action.congregations.all()) == [congregation]


def test_the_admin_refuses_an_action_that_ends_before_it_starts(
    client, login, admin_user, congregation
):
    login(client, admin_user)
    prefix = _pledge_prefix(client)
    data = _data(congregation, ends_at_1="18:00:00")
    data = {key.replace("pledges-", f"{prefix}-"): value for key, value in data.items()}
    response = client.post(reverse("admin:actions_action_add"), data)
    assert response.status_code == 200  # a form error, not a 500
    assert "ends_at" in response.context["adminform"].form.errors
    assert not Action.objects.exists()
