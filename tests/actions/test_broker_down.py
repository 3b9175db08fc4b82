"""No lost work (issue 12): a group evaluation recorded while the task queue is down succeeds,
says what will happen, and its follow-ups are created once by the beat's sweep."""

import datetime
import logging
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionFollowUp, Evaluation
from actions.tasks import return_to_relationships_sweep_task
from relationships.models import FollowUp
from tests.campaigns.factories import AttendanceFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_evaluation_with_the_broker_down_is_swept_once(
    client,
    login,
    organizer,
    lead,
    congregation,
    past_action,
    broker_down,
    caplog,
    django_capture_on_commit_callbacks,
):
    people = PersonFactory.create_batch(3, congregation=congregation)
    for person in people:
        AttendanceFactory(
            action=past_action,
            person=person,
            congregation=congregation,
            checked_in_at=timezone.now(),
        )
    login(client, organizer)
    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="conect.dispatch"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("actions:evaluate", args=[past_action.pk]),
            {
                "kind": "group",
                "held_on": timezone.localdate(),
                "turnout": 3,
                "what_worked": "The stories",
                "what_to_change": "Start on time",
            },
            follow=True,
        )
    assert time.monotonic() - started < 10  # fails fast, no hang on the dead broker
    assert response.status_code == 200
    body = response.content.decode()
    assert "Within a few minutes, each attendee nobody has met one-on-one" in body
    assert "could not queue actions.tasks.return_to_relationships_task" in caplog.text
    evaluation = Evaluation.objects.get(action=past_action, kind="group")
    assert evaluation.followups_done_at is None
    assert not ActionFollowUp.objects.exists()  # the task never ran

    broker_down.restore()  # the broker is back; beat's next sweep runs the task
    later = timezone.now() + datetime.timedelta(minutes=5)
    return_to_relationships_sweep_task.apply()  # too early: a fresh evaluation waits its task
    assert not ActionFollowUp.objects.exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert return_to_relationships_sweep_task.apply().get() == 3
        assert return_to_relationships_sweep_task.apply().get() == 0  # and never twice
    assert FollowUp.objects.filter(owner=lead).count() == 3
    assert sorted(ActionFollowUp.objects.values_list("person_id", flat=True)) == sorted(
        p.pk for p in people
    )
    evaluation.refresh_from_db()
    assert evaluation.followups_done_at is not None


def test_sweep_leaves_evaluations_older_than_the_lookback(organizer, past_action):
    Evaluation.objects.create(
        action=past_action,
        kind="group",
        author=organizer,
        held_on=timezone.localdate(),
        created_at=timezone.now() - datetime.timedelta(days=45),
    )
    from actions.services import return_to_relationships_sweep

    assert return_to_relationships_sweep() == 0
    assert Evaluation.objects.get().followups_done_at is None
