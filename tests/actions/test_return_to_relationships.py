"""After the group evaluation, attendees nobody has met one-on-one in a year become follow-ups for
their congregation's lead: once per person per action, however often it runs."""

import datetime

import pytest
from django.utils import timezone

from actions.models import ActionFollowUp, Evaluation
from actions.services import evaluation_record, return_to_relationships
from relationships.models import FollowUp, OneOnOne
from tests.campaigns.factories import AttendanceFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def attend(action, person, congregation):
    return AttendanceFactory(
        action=action, person=person, congregation=congregation, checked_in_at=timezone.now()
    )


@pytest.fixture
def crowd(past_action, congregation, organizer):
    new = PersonFactory(first_name="New", congregation=congregation)
    known = PersonFactory(first_name="Known", congregation=congregation)
    stale = PersonFactory(first_name="Stale", congregation=congregation)
    no_show = PersonFactory(first_name="NoShow", congregation=congregation)
    for person in (new, known, stale):
        attend(past_action, person, congregation)
    AttendanceFactory(action=past_action, person=no_show, congregation=congregation, rsvp="yes")
    today = timezone.localdate()
    OneOnOne.objects.create(
        author=organizer, person=known, held_on=today - datetime.timedelta(days=30)
    )
    OneOnOne.objects.create(
        author=organizer, person=stale, held_on=today - datetime.timedelta(days=400)
    )
    return {"new": new, "known": known, "stale": stale, "no_show": no_show}


def test_group_evaluation_creates_follow_ups_for_the_lead(
    past_action, crowd, lead, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_record(
            action=past_action,
            kind="group",
            by=organizer,
            held_on=timezone.localdate(),
            what_worked="x",
            what_to_change="y",
        )
    follow_ups = FollowUp.objects.filter(owner=lead)
    assert {f.person.first_name for f in follow_ups} == {"New", "Stale"}
    assert all(f.source_id == past_action.pk for f in follow_ups)
    assert ActionFollowUp.objects.filter(action=past_action).count() == 2


def test_it_is_idempotent(past_action, crowd, lead, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_record(
            action=past_action, kind="group", by=organizer, held_on=timezone.localdate()
        )
    assert return_to_relationships(action=past_action) == 0
    assert return_to_relationships(action=past_action) == 0
    assert FollowUp.objects.count() == 2


def test_individual_evaluation_does_not_trigger_it(
    past_action, crowd, lead, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_record(
            action=past_action, kind="individual", by=organizer, held_on=timezone.localdate()
        )
    assert not FollowUp.objects.exists()
    assert return_to_relationships(action=past_action) == 0


def test_without_a_lead_the_congregations_organizer_gets_them(
    past_action, crowd, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_record(
            action=past_action, kind="group", by=organizer, held_on=timezone.localdate()
        )
    assert set(FollowUp.objects.values_list("owner", flat=True)) == {organizer.pk}


def admin_add(client, action, **fields):
    data = {
        "action": action.pk,
        "kind": "group",
        "held_on": timezone.localdate().isoformat(),
        "turnout": 3,
        "what_worked": "Stories",
        "what_to_change": "Start on time",
        "asks_answered": "",
        "standouts": "",
        **fields,
    }
    return client.post("/admin/actions/evaluation/add/", data)


def test_group_evaluation_added_in_the_admin_returns_to_relationships(
    client, login, admin_user, past_action, crowd, lead, django_capture_on_commit_callbacks
):
    login(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_add(client, past_action, standouts=str(crowd["new"].pk))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.kind, evaluation.author) == ("group", admin_user)
    assert evaluation.turnout_goal == past_action.turnout_goal
    assert list(evaluation.standouts.all()) == [crowd["new"]]
    follow_ups = FollowUp.objects.filter(owner=lead)
    assert {f.person.first_name for f in follow_ups} == {"New", "Stale"}  # as from the app
    assert ActionFollowUp.objects.filter(action=past_action).count() == 2


def test_admin_refuses_a_second_group_evaluation_and_keeps_kind_fixed(
    client, login, admin_user, past_action, organizer
):
    first = evaluation_record(
        action=past_action, kind="group", by=organizer, held_on=timezone.localdate()
    )
    login(client, admin_user)
    again = admin_add(client, past_action)
    assert again.status_code == 200 and Evaluation.objects.count() == 1  # a form error, no 500
    page = client.get(f"/admin/actions/evaluation/{first.pk}/change/").content.decode()
    assert 'name="kind"' not in page and 'name="what_worked"' in page
