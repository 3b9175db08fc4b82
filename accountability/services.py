"""Writes: record a leader's commitment, and resolve it to kept or broken at its due date.

The commitment row is its own history: who recorded it and when (`recorded_by`, `created_at`),
and when and on what count it resolved (`resolved_at`, `evidence`). Rows resolve once: the
resolution locks the row and leaves a resolved one alone, so a second sweep changes nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person, User

from .models import CommitmentKind, CommitmentStatus, LeaderCommitment, MadeAt
from .selectors import due_for_resolution, measure


@transaction.atomic
def leader_commitment_make(
    *,
    person: Person,
    kind: str,
    target: int,
    made_at: str,
    due_on: datetime.date | None = None,
    action=None,
    source_action=None,
    source_house_meeting=None,
    by: User,
) -> LeaderCommitment:
    """Record what `person` (a leader with a login) said they would do. "Bring N people" is due
    on the action's day; the others on the date given, today or later."""
    today = timezone.localdate()
    if person.user_id is None:
        raise ValidationError(_("Only someone with a login can be counted: invite them first."))
    if kind == CommitmentKind.BRING:
        if action is None:
            raise ValidationError(_("Choose the action they will bring people to."))
        due_on = timezone.localtime(action.starts_at).date()
        if LeaderCommitment.objects.filter(person=person, action=action, kind=kind).exists():
            raise ValidationError(_("They have already said how many they will bring to it."))
    else:
        action = None
    if due_on is None or due_on < today:
        raise ValidationError(_("The date must be today or later."))
    if made_at == MadeAt.HOUSE_MEETING:
        source_action = None
    else:
        source_house_meeting = None
    return LeaderCommitment.objects.create(
        person=person,
        kind=kind,
        target=target,
        made_on=today,
        due_on=due_on,
        action=action,
        made_at=made_at,
        source_action=source_action,
        source_house_meeting=source_house_meeting,
        recorded_by=by,
    )


@transaction.atomic
def leader_commitment_resolve(
    *, commitment: LeaderCommitment, now: datetime.datetime | None = None
) -> LeaderCommitment:
    """Kept when the data shows at least the number promised, broken otherwise — once the due
    date has ended (local time). Before then, or when already resolved, nothing changes."""
    now = now or timezone.now()
    row = LeaderCommitment.objects.select_for_update().get(pk=commitment.pk)
    if row.status != CommitmentStatus.OPEN or timezone.localdate(now) <= row.due_on:
        return row
    row.evidence = measure(row)
    row.status = CommitmentStatus.KEPT if row.evidence >= row.target else CommitmentStatus.BROKEN
    row.resolved_at = now
    row.save(update_fields=["evidence", "status", "resolved_at"])
    return row


def leader_commitments_resolve_due(*, now: datetime.datetime | None = None) -> int:
    """The sweep: resolve every open commitment whose due date has ended. Returns how many."""
    now = now or timezone.now()
    resolved = 0
    for commitment in due_for_resolution(timezone.localdate(now)).only("pk").iterator():
        if not leader_commitment_resolve(commitment=commitment, now=now).is_open:
            resolved += 1
    return resolved
