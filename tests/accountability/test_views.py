"""The panels and the form: happy path, invalid input, scope (404), anonymous, wrong method."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import CommitmentKind, CommitmentStatus, LeaderCommitment, MadeAt
from conect.access import Role
from tests.accountability.factories import LeaderCommitmentFactory
from tests.campaigns.factories import ActionFactory, PastActionFactory
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import HouseMeetingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def a_leader(congregation, **extra):
    user = UserFactory(role=Role.LEADER, **extra)
    PersonFactory(
        user=user, first_name=user.first_name, last_name="Leads", congregation=congregation
    )
    return user


def in_a_week():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def one_on_ones_form(person, **extra):
    return {
        "person": person.pk,
        "kind": "one_on_ones",
        "target": "4",
        "due_on": in_a_week(),
        **extra,
    }


# --- the action's panel --------------------------------------------------------------------


def test_action_page_and_evaluation_page_load_the_panel(client, login, organizer, congregation):
    action = PastActionFactory(congregations=[congregation])
    login(client, organizer)
    panel = reverse("accountability:action_panel", args=[action.pk])
    assert panel in client.get(action.get_absolute_url()).content.decode()
    evaluate = client.get(reverse("actions:evaluate", args=[action.pk])).content.decode()
    assert f"{panel}?at=evaluation" in evaluate


def test_leader_records_bringing_people_to_an_upcoming_action(client, login, leader):
    action = ActionFactory()
    url = reverse("accountability:action_panel", args=[action.pk])
    page = login(client, leader).get(url)
    assert page.status_code == 200
    assert 'type="hidden" name="person"' in page.content.decode()  # their own: nothing to pick
    data = {"person": leader.person.pk, "kind": "bring", "target": "6", "action": action.pk}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert "Commitment recorded." in response.content.decode()
    made = LeaderCommitment.objects.get()
    assert (made.person, made.kind, made.target, made.action) == (leader.person, "bring", 6, action)
    assert (made.made_at, made.source_action, made.recorded_by) == (MadeAt.ACTION, action, leader)
    assert made.due_on == timezone.localdate(action.starts_at)
    assert "said they'd bring 6 people" in response.content.decode()


def test_plain_post_goes_back_to_the_page(client, login, leader):
    action = ActionFactory()
    url = reverse("accountability:action_panel", args=[action.pk])
    response = login(client, leader).post(url, one_on_ones_form(leader.person))
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()


def test_made_at_the_evaluation(client, login, organizer, congregation):
    action = PastActionFactory(congregations=[congregation])
    leader = a_leader(congregation)
    url = reverse("accountability:action_panel", args=[action.pk])
    data = one_on_ones_form(leader.person, made_at="evaluation")
    response = login(client, organizer).post(url, data)
    assert response["Location"] == reverse("actions:evaluate", args=[action.pk])
    assert LeaderCommitment.objects.get().made_at == MadeAt.EVALUATION


@pytest.mark.parametrize(
    "change",
    [
        {"target": "0"},
        {"target": "many"},
        {"due_on": ""},
        {"due_on": "2001-01-01"},  # in the past: the service refuses it
        {"kind": "bring"},  # no action named
        {"kind": "vote"},
    ],
)
def test_invalid_input_records_nothing_and_says_why(client, login, leader, change):
    action = ActionFactory()
    url = reverse("accountability:action_panel", args=[action.pk])
    response = login(client, leader).post(url, one_on_ones_form(leader.person, **change))
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not LeaderCommitment.objects.exists()


def test_a_leader_records_only_their_own(client, login, leader, congregation):
    someone = a_leader(congregation)
    url = reverse("accountability:action_panel", args=[ActionFactory().pk])
    response = login(client, leader).post(url, one_on_ones_form(someone.person), **HTMX)
    assert response.status_code == 200
    assert not LeaderCommitment.objects.exists()


def test_a_lead_records_for_their_leaders_not_another_congregations(
    client, login, lead, congregation, other_congregation
):
    mine, theirs = a_leader(congregation), a_leader(other_congregation)
    url = reverse("accountability:action_panel", args=[ActionFactory().pk])
    login(client, lead)
    assert client.post(url, one_on_ones_form(theirs.person), **HTMX).status_code == 200
    assert not LeaderCommitment.objects.exists()
    assert client.post(url, one_on_ones_form(mine.person)).status_code == 302
    assert LeaderCommitment.objects.get().person == mine.person


def test_the_panel_lists_only_commitments_in_scope(
    client, login, lead, congregation, other_congregation
):
    action = ActionFactory()
    for who in (
        a_leader(congregation, first_name="Mine"),
        a_leader(other_congregation, first_name="Theirs"),
    ):
        LeaderCommitmentFactory(person=who.person, source_action=action)
    body = login(client, lead).get(reverse("accountability:action_panel", args=[action.pk]))
    assert "Mine Leads" in body.content.decode() and "Theirs Leads" not in body.content.decode()


def test_an_unknown_action_is_404(client, login, leader):
    url = reverse("accountability:action_panel", args=[999999])
    assert login(client, leader).get(url).status_code == 404


# --- the house meeting's panel --------------------------------------------------------------


def test_house_meeting_panel_records_hosting(client, login, lead, congregation):
    meeting = HouseMeetingFactory(congregation=congregation, facilitator=lead)
    leader = a_leader(congregation)
    url = reverse("accountability:house_meeting_panel", args=[meeting.pk])
    login(client, lead)
    assert url in client.get(meeting.get_absolute_url()).content.decode()
    assert "Record a commitment" in client.get(url).content.decode()
    data = {
        "person": leader.person.pk,
        "kind": "house_meeting",
        "target": "1",
        "due_on": in_a_week(),
    }
    assert client.post(url, data)["Location"] == meeting.get_absolute_url()
    made = LeaderCommitment.objects.get()
    assert (made.made_at, made.source_house_meeting, made.source_action) == (
        MadeAt.HOUSE_MEETING,
        meeting,
        None,
    )


def test_another_congregations_house_meeting_is_404(client, login, lead, other_congregation):
    meeting = HouseMeetingFactory(congregation=other_congregation)
    url = reverse("accountability:house_meeting_panel", args=[meeting.pk])
    login(client, lead)
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "house_meeting"}).status_code == 404


# --- the person's panel and the home panel ---------------------------------------------------


def test_person_panel_shows_their_commitments(client, login, lead, congregation, leader):
    LeaderCommitmentFactory(person=leader.person, target=5)
    LeaderCommitmentFactory(
        person=leader.person,
        status=CommitmentStatus.KEPT,
        evidence=2,
        target=2,
        resolved_at=timezone.now(),
    )
    url = reverse("accountability:person_panel", args=[leader.person.pk])
    assert url in login(client, lead).get(leader.person.get_absolute_url()).content.decode()
    body = client.get(url).content.decode()
    assert "1 open · 1 kept · 0 broken" in body
    assert "hold 5 one-on-ones" in body and "2 of 2" in body


def test_person_panel_of_another_congregation_is_404(client, login, lead, other_congregation):
    person = PersonFactory(congregation=other_congregation)
    url = reverse("accountability:person_panel", args=[person.pk])
    assert login(client, lead).get(url).status_code == 404


def test_leaders_panel_on_the_leads_home(client, login, lead, congregation, other_congregation):
    mine, theirs = (
        a_leader(congregation, first_name="Mine"),
        a_leader(other_congregation, first_name="Theirs"),
    )
    LeaderCommitmentFactory(person=mine.person)
    LeaderCommitmentFactory(
        person=mine.person, status="broken", evidence=0, resolved_at=timezone.now()
    )
    LeaderCommitmentFactory(person=theirs.person)
    url = reverse("accountability:leaders_panel")
    assert url in login(client, lead).get(reverse("home")).content.decode()
    body = client.get(url).content.decode()
    assert "1 open · 0 kept · 1 broken" in body
    assert "Mine Leads" in body and "Theirs Leads" not in body


@pytest.mark.parametrize(
    "name", ["person_panel", "leaders_panel", "action_panel", "house_meeting_panel"]
)
def test_anonymous_goes_to_sign_in(client, name):
    args = [] if name == "leaders_panel" else [1]
    response = client.get(reverse(f"accountability:{name}", args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["person_panel", "leaders_panel", "action_panel", "house_meeting_panel"]
)
def test_wrong_method_is_405(client, login, lead, congregation, name):
    args = {
        "person_panel": [lead.pk],
        "leaders_panel": [],
        "action_panel": [ActionFactory().pk],
        "house_meeting_panel": [HouseMeetingFactory(congregation=congregation).pk],
    }[name]
    url = reverse(f"accountability:{name}", args=args)
    login(client, lead)
    assert client.put(url).status_code == 405
    if name in ("person_panel", "leaders_panel"):
        assert client.post(url).status_code == 405


# --- query counts do not grow with rows ------------------------------------------------------


def _many(congregation, n, action):
    for _ in range(n):
        leader = a_leader(congregation)
        LeaderCommitmentFactory(person=leader.person, source_action=action)
        LeaderCommitmentFactory(
            person=leader.person, kind=CommitmentKind.BRING, action=action, source_action=action,
            due_on=timezone.localdate(action.starts_at),
        )  # fmt: skip


@pytest.mark.parametrize("n", [2, 12])
def test_panels_query_counts_are_flat(
    client, login, organizer, congregation, django_assert_max_num_queries, n
):
    action = ActionFactory()
    _many(congregation, n, action)
    login(client, organizer)
    urls = [
        reverse("accountability:action_panel", args=[action.pk]),
        reverse("accountability:leaders_panel"),
        reverse("accountability:person_panel", args=[LeaderCommitment.objects.first().person_id]),
    ]
    for url in urls:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
