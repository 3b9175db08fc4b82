"""Reminders to the leader before the date (once each) and the digest's lines, fixed clock."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accountability.models import CommitmentKind
from accountability.services import leader_commitments_resolve_due
from conect.access import Role
from members.models import Person
from notifications.models import Kind, Notification
from notifications.reminders import reminders_sweep
from notifications.reminders_accountability import reminder_step
from notifications.services import notifications_deliver
from tests.accountability.factories import LeaderCommitmentFactory
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import OneOnOneFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
DUE = datetime.date(2026, 12, 10)


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=NY)


def before(days: int) -> datetime.date:
    return DUE - datetime.timedelta(days=days)


def reminders():
    return list(Notification.objects.filter(kind=Kind.LEADER_COMMITMENT_DUE).order_by("id"))


@pytest.fixture
def commitment(leader):
    return LeaderCommitmentFactory(person=leader.person, target=3, made_on=before(20), due_on=DUE)


def test_the_step_in_force():
    steps = (7, 1)
    assert [reminder_step(DUE, before(n), steps) for n in (9, 8, 7, 3, 2, 1, 0, -1)] == [
        None, None, 7, 7, 7, 1, None, None,
    ]  # fmt: skip


def test_seven_days_and_one_day_before_once_each(leader, commitment, mailoutbox):
    OneOnOneFactory(author=leader, person=PersonFactory(), held_on=before(10))
    for day in range(12, -2, -1):  # every day, two sweeps a day
        for hour in (8, 15):
            reminders_sweep(at(before(day), hour))
    sent = reminders()
    assert [(n.for_date, n.subject_key) for n in sent] == [
        (before(7), f"leader-commitment:{commitment.pk}:7d"),
        (before(1), f"leader-commitment:{commitment.pk}:1d"),
    ]
    assert all(n.recipient_user == leader for n in sent)
    assert sent[0].title == "Your commitment is due in 7 days"
    assert "hold 3 one-on-ones" in sent[0].body and "1 of 3" in sent[0].body
    assert sent[1].title == "Your commitment is due tomorrow"
    notifications_deliver(now=at(before(1), 9))
    assert [m.to for m in mailoutbox] == [[leader.email], [leader.email]]


def test_a_sweep_missed_on_the_day_catches_up(leader, commitment):
    reminders_sweep(at(before(5)))  # the 7-day step's day passed with the workers down
    assert [n.for_date for n in reminders()] == [before(7)]


def test_no_reminder_for_a_step_before_it_was_made(leader):
    LeaderCommitmentFactory(person=leader.person, made_on=before(3), due_on=DUE)
    reminders_sweep(at(before(3)))
    assert reminders() == []
    reminders_sweep(at(before(1)))
    assert len(reminders()) == 1


def test_do_not_contact_gets_none(leader, commitment):
    Person.objects.filter(pk=leader.person.pk).update(do_not_contact=True)
    reminders_sweep(at(before(7)))
    assert reminders() == []


def test_a_resolved_commitment_gets_none(leader, commitment):
    commitment.status, commitment.evidence = "kept", 3
    commitment.resolved_at = at(before(8))
    commitment.save()
    reminders_sweep(at(before(7)))
    assert reminders() == []


def test_nothing_before_the_daily_hour(leader, commitment):
    reminders_sweep(at(before(7), hour=5))
    assert reminders() == []


def test_the_digest_counts_last_weeks_and_names_the_broken(
    organizer, congregation, other_congregation, leader
):
    monday = datetime.date(2026, 11, 23)
    last_week = monday - datetime.timedelta(days=3)
    made = last_week - datetime.timedelta(days=10)
    kept = LeaderCommitmentFactory(person=leader.person, target=1, made_on=made, due_on=last_week)
    broken = LeaderCommitmentFactory(
        person=leader.person,
        kind=CommitmentKind.HOUSE_MEETING,
        target=2,
        made_on=made,
        due_on=last_week,
    )
    LeaderCommitmentFactory(
        person=leader.person, made_on=made, due_on=monday + datetime.timedelta(2)
    )
    outsider = UserFactory(role=Role.LEADER)
    PersonFactory(user=outsider, first_name="Outside", congregation=other_congregation)
    LeaderCommitmentFactory(person=outsider.person, target=9, made_on=made, due_on=last_week)
    OneOnOneFactory(author=leader, person=PersonFactory(), held_on=last_week)
    assert leader_commitments_resolve_due(now=at(monday, 1)) == 3
    reminders_sweep(at(monday, 7))
    digest = Notification.objects.get(kind=Kind.WEEKLY_DIGEST, recipient_user=organizer)
    assert "Leaders' own commitments:" in digest.body
    assert "last week 1 kept, 1 broken" in digest.body
    assert f"{leader.person.full_name}: host 2 house meetings (0 of 2)" in digest.body
    assert "1 due this week" in digest.body
    assert "Outside" not in digest.body  # another congregation's leader
    kept.refresh_from_db(), broken.refresh_from_db()
    assert (kept.status, broken.status) == ("kept", "broken")


def test_in_spanish_for_a_spanish_speaker(leader, commitment):
    Person.objects.filter(pk=leader.person.pk).update(language="es")
    reminders_sweep(at(before(7)))
    (sent,) = reminders()
    assert sent.title == "Su compromiso vence en 7 días"
    assert "tener 3 reuniones uno a uno" in sent.body
