"""The resolution rule: kept at exactly N, broken at N-1, open before the date, resolved once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accountability.models import CommitmentKind, CommitmentStatus, LeaderCommitment, MadeAt
from accountability.selectors import bring_summary, measure, with_progress
from accountability.services import (
    leader_commitment_make,
    leader_commitment_resolve,
    leader_commitments_resolve_due,
)
from accountability.tasks import leader_commitments_resolve_task
from actions.models import Attendance
from tests.accountability.factories import LeaderCommitmentFactory
from tests.campaigns.factories import ActionFactory, PastActionFactory
from tests.factories import PersonFactory
from tests.relationships.factories import HouseMeetingFactory, OneOnOneFactory

TODAY = datetime.date(2026, 11, 2)
pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def one_on_ones(leader, n, day):
    for _ in range(n):
        OneOnOneFactory(author=leader, person=PersonFactory(), held_on=day)


def due(leader, target=3, kind=CommitmentKind.ONE_ON_ONES, **extra):
    when = {"made_on": TODAY, "due_on": TODAY + datetime.timedelta(days=7), **extra}
    return LeaderCommitmentFactory(person=leader.person, kind=kind, target=target, **when)


def test_kept_at_exactly_n(leader):
    commitment = due(leader, target=3)
    one_on_ones(leader, 3, TODAY + datetime.timedelta(days=7))  # on the due date counts
    resolved = leader_commitment_resolve(commitment=commitment, now=at(TODAY + timedelta(8)))
    assert (resolved.status, resolved.evidence) == (CommitmentStatus.KEPT, 3)
    assert resolved.resolved_at is not None


def timedelta(days):
    return datetime.timedelta(days=days)


def test_broken_at_n_minus_one(leader):
    commitment = due(leader, target=3)
    one_on_ones(leader, 2, TODAY + timedelta(1))
    one_on_ones(leader, 1, TODAY - timedelta(1))  # before it was made: not counted
    one_on_ones(leader, 1, TODAY + timedelta(8))  # after its date: not counted
    resolved = leader_commitment_resolve(commitment=commitment, now=at(TODAY + timedelta(8)))
    assert (resolved.status, resolved.evidence) == (CommitmentStatus.BROKEN, 2)


def test_someone_elses_meetings_do_not_count(leader, organizer):
    commitment = due(leader, target=1)
    one_on_ones(organizer, 4, TODAY + timedelta(1))
    assert measure(commitment) == 0


def test_open_until_the_due_date_has_ended(leader):
    commitment = due(leader, target=1)
    for moment in (at(TODAY + timedelta(3)), at(TODAY + timedelta(7), hour=23)):
        assert leader_commitment_resolve(commitment=commitment, now=moment).is_open
    commitment.refresh_from_db()
    assert (commitment.status, commitment.evidence, commitment.resolved_at) == ("open", None, None)


def test_sweep_is_idempotent(leader):
    kept, broken = due(leader, target=1), due(leader, target=5)
    later = due(leader, target=1, due_on=TODAY + timedelta(30))
    one_on_ones(leader, 2, TODAY + timedelta(2))
    moment = at(TODAY + timedelta(8))
    assert leader_commitments_resolve_due(now=moment) == 2
    first = {c.pk: (c.status, c.evidence, c.resolved_at) for c in LeaderCommitment.objects.all()}
    one_on_ones(leader, 5, TODAY + timedelta(3))  # late paperwork does not reopen a resolution
    assert leader_commitments_resolve_due(now=moment + timedelta(1)) == 0
    again = {c.pk: (c.status, c.evidence, c.resolved_at) for c in LeaderCommitment.objects.all()}
    assert again == first
    assert first[kept.pk][0] == "kept" and first[broken.pk][0] == "broken"
    assert first[later.pk][0] == "open"


def test_the_beat_task_runs_the_sweep(leader):
    yesterday = timezone.localdate() - timedelta(1)
    commitment = due(leader, target=1, made_on=yesterday - timedelta(3), due_on=yesterday)
    assert leader_commitments_resolve_task() == 1
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.BROKEN


def test_house_meetings_hosted_count(leader, congregation):
    commitment = due(leader, target=1, kind=CommitmentKind.HOUSE_MEETING)
    HouseMeetingFactory(facilitator=leader, congregation=congregation, held_on=TODAY + timedelta(5))
    resolved = leader_commitment_resolve(commitment=commitment, now=at(TODAY + timedelta(8)))
    assert (resolved.status, resolved.evidence) == (CommitmentStatus.KEPT, 1)


def _bring(leader, action, target, came, invited_not_came=0, by_someone_else=0, other=None):
    commitment = LeaderCommitmentFactory(
        person=leader.person,
        kind=CommitmentKind.BRING,
        target=target,
        action=action,
        source_action=action,
        made_on=timezone.localdate(action.starts_at) - timedelta(10),
        due_on=timezone.localdate(action.starts_at),
    )
    rows = [(leader, timezone.now()) for _ in range(came)]
    rows += [(leader, None) for _ in range(invited_not_came)]
    rows += [(other, timezone.now()) for _ in range(by_someone_else)]
    for by, checked_in in rows:
        Attendance.objects.create(
            action=action, person=PersonFactory(), invited_by=by, checked_in_at=checked_in
        )
    return commitment


def test_bring_counts_their_invitees_who_checked_in(leader, organizer):
    action = PastActionFactory(starts_at=timezone.now() - timedelta(3))
    commitment = _bring(
        leader, action, target=4, came=3, invited_not_came=5, by_someone_else=2, other=organizer
    )
    resolved = leader_commitment_resolve(commitment=commitment)
    assert (resolved.status, resolved.evidence) == (CommitmentStatus.BROKEN, 3)
    assert bring_summary(organizer, action) == {"promised": 4, "came": 3, "leaders": 1}


def test_progress_is_live_while_open_and_the_evidence_after(leader):
    commitment = due(leader, target=2)
    one_on_ones(leader, 1, TODAY + timedelta(1))
    assert with_progress(LeaderCommitment.objects.all()).get().progress == 1
    leader_commitment_resolve(commitment=commitment, now=at(TODAY + timedelta(8)))
    one_on_ones(leader, 1, TODAY + timedelta(1))
    assert with_progress(LeaderCommitment.objects.all()).get().progress == 1


def test_make_refuses_what_cannot_be_measured(leader, organizer):
    action = ActionFactory()
    kwargs = {"made_at": MadeAt.ACTION, "source_action": action, "by": organizer}
    with pytest.raises(ValidationError):
        leader_commitment_make(
            person=PersonFactory(), kind=CommitmentKind.ONE_ON_ONES, target=1,
            due_on=timezone.localdate(), **kwargs,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        leader_commitment_make(
            person=leader.person, kind=CommitmentKind.ONE_ON_ONES, target=1,
            due_on=timezone.localdate() - timedelta(1), **kwargs,
        )  # fmt: skip
    made = leader_commitment_make(
        person=leader.person, kind=CommitmentKind.BRING, target=5, action=action, **kwargs
    )
    assert made.due_on == timezone.localdate(action.starts_at)
    with pytest.raises(ValidationError):
        leader_commitment_make(
            person=leader.person, kind=CommitmentKind.BRING, target=2, action=action, **kwargs
        )


def test_the_database_refuses_a_half_resolution(leader):
    commitment = due(leader)
    commitment.status = CommitmentStatus.KEPT
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()
