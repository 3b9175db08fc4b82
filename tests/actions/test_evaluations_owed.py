"""Evaluations really mandatory (issue 13, item 4): the homes list actions whose group evaluation
is due or late, /actions/ filters them, and the action page shows the follow-ups created."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionFollowUp, Evaluation
from tests.campaigns.factories import ActionFactory, PastActionFactory
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
OVERDUE = f"{reverse('actions:list')}?evaluation=overdue"


def ended(days_ago, **kwargs):
    start = timezone.now() - datetime.timedelta(days=days_ago, hours=3)
    return ActionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs)


@pytest.fixture
def owed(congregation, other_congregation):
    """Actions of the organizer's congregation: one just ended, one from October 2025, one
    evaluated; and one of another congregation."""
    fresh = ended(0, title="Fresh assembly", congregations=[congregation])
    old = ActionFactory(
        title="October assembly",
        starts_at=datetime.datetime(2025, 10, 2, 23, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 10, 3, 1, tzinfo=datetime.UTC),
        congregations=[congregation],
    )
    done = ended(5, title="Evaluated assembly", congregations=[congregation])
    Evaluation.objects.create(action=done, kind="group", held_on=timezone.localdate())
    ended(3, title="Their assembly", congregations=[other_congregation])
    ActionFactory(title="Future assembly", congregations=[congregation])
    return fresh, old


def test_organizer_home_lists_due_and_late_evaluations(client, login, organizer, owed):
    html = login(client, organizer).get("/").content.decode()
    assert 'data-testid="evaluations-owed"' in html
    assert "Fresh assembly" in html and "due now" in html
    assert "October assembly" in html and "late: ended" in html
    assert "Their assembly" not in html and "Evaluated assembly" not in html
    assert "Future assembly" not in html.split('data-testid="evaluations-owed"')[1][:3000]
    assert f"{reverse('actions:evaluate', args=[owed[0].pk])}?kind=group" in html


def test_lead_home_lists_them_without_the_evaluate_button(client, login, lead, owed):
    html = login(client, lead).get("/").content.decode()
    assert "October assembly" in html and "Their assembly" not in html
    assert reverse("actions:evaluate", args=[owed[0].pk]) not in html


def test_home_query_count_does_not_grow(
    client, login, organizer, congregation, django_assert_max_num_queries
):
    login(client, organizer)
    ended(1, congregations=[congregation])
    with django_assert_max_num_queries(40) as few:
        client.get("/")
    for days in range(2, 12):
        ended(days, congregations=[congregation])
    with django_assert_max_num_queries(len(few)):
        html = client.get("/").content.decode()
    assert "See all 11 actions" in html


def test_actions_filter_evaluation_overdue(client, login, organizer, owed):
    html = login(client, organizer).get(OVERDUE).content.decode()
    assert "Fresh assembly" in html and "October assembly" in html
    assert "Evaluated assembly" not in html and "Their assembly" not in html
    assert "Future assembly" not in html
    assert "2 of your actions have no group evaluation" in html


def test_actions_filter_query_count_is_flat(
    client, login, organizer, congregation, django_assert_max_num_queries
):
    login(client, organizer)
    ended(1, congregations=[congregation])
    with django_assert_max_num_queries(40) as few:
        client.get(OVERDUE)
    for days in range(2, 40):
        ended(days, congregations=[congregation])
    with django_assert_max_num_queries(len(few)):
        html = client.get(OVERDUE).content.decode()
    assert "1 / 2" in html


class TestFollowUpsCreated:
    def url(self, action):
        return reverse("actions:followups_created", args=[action.pk])

    def test_pending_then_the_people(self, client, login, organizer, congregation):
        action = PastActionFactory(congregations=[congregation])
        group = Evaluation.objects.create(action=action, kind="group", held_on=timezone.localdate())
        client = login(client, organizer)
        assert b'hx-trigger="every 2s"' in client.get(self.url(action)).content
        rosa = PersonFactory(congregation=congregation, first_name="Rosa", last_name="Delgado")
        hidden = PersonFactory(first_name="Hidden")
        lead = UserFactory(first_name="Lena", last_name="Lead")
        ActionFollowUp.objects.create(action=action, person=rosa, owner=lead)
        ActionFollowUp.objects.create(action=action, person=hidden, owner=lead)
        group.followups_done_at = timezone.now()
        group.save()
        html = client.get(self.url(action)).content.decode()
        assert "every 2s" not in html and "Follow-ups created for 2 new people" in html
        assert "Rosa Delgado" in html and "Lena Lead" in html and "Hidden" not in html

    def test_refuses_anonymous_unknown_and_wrong_method(self, client, login, organizer):
        action = PastActionFactory()
        assert client.get(self.url(action)).status_code == 302
        login(client, organizer)
        assert client.get(reverse("actions:followups_created", args=[99999])).status_code == 404
        assert client.post(self.url(action)).status_code == 405


def test_evaluation_standouts_tell_same_names_apart(client, login, organizer, congregation):
    action = PastActionFactory(congregations=[congregation])
    for town, phone in (("Hartford", "+18605550111"), ("Bristol", "+18605550222")):
        ana = PersonFactory(
            congregation=congregation, first_name="Ana", last_name="Ruiz", town=town, phone=phone
        )
        action.attendances.create(
            person=ana, congregation=congregation, checked_in_at=timezone.now()
        )
    html = login(client, organizer).get(reverse("actions:evaluate", args=[action.pk])).content
    assert "Ana Ruiz · Hartford · Member · …0111".encode() in html
    assert "Ana Ruiz · Bristol · Member · …0222".encode() in html
