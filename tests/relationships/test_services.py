"""Writes: the one-on-one and house-meeting logs and follow-ups (idempotency is what other apps
rely on)."""

import datetime

import pytest

from members.models import AuditEvent, LeadershipChange, Person
from relationships.models import FollowUp, FollowUpSource, OneOnOne
from relationships.services import (
    NewPerson,
    followup_complete,
    followup_create,
    house_meeting_log,
    one_on_one_log,
)
from tests.factories import PersonFactory
from tests.relationships.factories import IssueHeardFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


def test_followup_create_is_idempotent_per_owner_person_source(organizer, congregation):
    person = PersonFactory(congregation=congregation)
    source = OneOnOneFactory(author=organizer, person=person)
    first = followup_create(owner=organizer, person=person, due_on=DAY, source=source)
    again = followup_create(
        owner=organizer, person=person, due_on=DAY + datetime.timedelta(days=3), source=source
    )
    assert first.pk == again.pk and again.due_on == DAY
    assert first.kind == FollowUpSource.ONE_ON_ONE
    assert FollowUp.objects.count() == 1


def test_followup_create_with_another_source_model_is_an_action_kind(organizer, congregation):
    person = PersonFactory(congregation=congregation)
    # Any model instance works as a source; a Congregation stands in for an Action here.
    follow_up = followup_create(owner=organizer, person=person, due_on=DAY, source=congregation)
    assert follow_up.kind == FollowUpSource.ACTION
    assert follow_up.source_id == congregation.pk


def test_manual_followups_are_not_deduplicated(organizer, congregation):
    person = PersonFactory(congregation=congregation)
    followup_create(owner=organizer, person=person, due_on=DAY)
    followup_create(owner=organizer, person=person, due_on=DAY)
    assert FollowUp.objects.filter(kind=FollowUpSource.MANUAL).count() == 2


def test_one_on_one_log_records_congregation_issues_and_follow_up(organizer, congregation):
    person = PersonFactory(congregation=congregation)
    housing = IssueHeardFactory(name="housing")
    meeting = one_on_one_log(
        by=organizer,
        person=person,
        held_on=DAY,
        issues=[housing],
        notes="story",
        follow_up_on=DAY + datetime.timedelta(days=7),
    )
    assert meeting.congregation == congregation
    assert list(meeting.issues.all()) == [housing]
    follow_up = FollowUp.objects.get()
    assert (follow_up.owner, follow_up.person, follow_up.due_on) == (
        organizer,
        person,
        datetime.date(2026, 11, 27),
    )
    assert OneOnOne.objects.count() == 1


def test_followup_complete_twice_keeps_first_time(organizer, congregation):
    person = PersonFactory(congregation=congregation)
    follow_up = followup_create(owner=organizer, person=person, due_on=DAY)
    followup_complete(follow_up=follow_up, outcome="called")
    first = follow_up.done_at
    followup_complete(follow_up=follow_up, outcome="again")
    follow_up.refresh_from_db()
    assert follow_up.done_at == first and follow_up.outcome == "called"


def test_one_on_one_with_someone_new_adds_them_through_the_directory(organizer, congregation):
    housing = IssueHeardFactory(name="housing")
    meeting = one_on_one_log(
        by=organizer,
        person=NewPerson(first_name=" Rosa ", last_name="Delgado", congregation=congregation),
        held_on=DAY,
        issues=[housing],
        new_issues=["Bus  routes", "HOUSING", ""],
    )
    rosa = Person.objects.get(first_name="Rosa", last_name="Delgado")
    assert meeting.person == rosa and meeting.author == organizer
    assert meeting.congregation == congregation
    assert rosa.memberships.get().is_primary
    assert LeadershipChange.objects.get(person=rosa).changed_by == organizer
    assert AuditEvent.objects.get(person_id=rosa.pk).actor == organizer
    assert sorted(i.name for i in meeting.issues.all()) == ["bus routes", "housing"]


def test_house_meeting_new_attendees_join_the_host_congregation(organizer, congregation):
    known = PersonFactory(congregation=congregation)
    meeting = house_meeting_log(
        by=organizer,
        congregation=congregation,
        held_on=DAY,
        attendees=[known],
        new_attendees=[("Ana", "Ruiz"), ("Tomas", "")],
    )
    assert meeting.facilitator == organizer
    ana = Person.objects.get(first_name="Ana")
    assert ana.memberships.get().congregation == congregation
    assert LeadershipChange.objects.get(person=ana).changed_by == organizer
    assert set(meeting.attendees.all()) == {known, ana, Person.objects.get(first_name="Tomas")}
