"""Writes for relational meetings: one function per business verb, keyword-only, atomic; the
user acting is always `by`."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congregations.models import Congregation, Membership
from members.models import AuditEvent, Person, User
from members.services import audit_reads, person_create

from . import tallies
from .models import FollowUp, FollowUpSource, HouseMeeting, IssueHeard, OneOnOne


@dataclass(frozen=True)
class NewPerson:
    """Someone met for the first time: added to the directory as the meeting is logged."""

    first_name: str
    last_name: str
    congregation: Congregation
    email: str = ""
    phone: str = ""


_KIND_BY_MODEL = {
    "oneonone": FollowUpSource.ONE_ON_ONE,
    "housemeeting": FollowUpSource.HOUSE_MEETING,
}


def followup_create(
    *,
    owner,
    person: Person,
    due_on: datetime.date,
    source: models.Model | None = None,
    kind: str | None = None,
    note: str = "",
) -> FollowUp:
    """A follow-up for `owner` to get back to `person` by `due_on` (a local calendar date).

    Idempotent per (owner, person, source): calling it again with the same source returns the
    existing follow-up unchanged, so an action's sweep or a retried task never duplicates one.
    `source` is any model instance (a one-on-one, a house meeting, an action) or None (manual).
    """
    if source is None:
        return FollowUp.objects.create(
            owner=owner, person=person, due_on=due_on, kind=kind or FollowUpSource.MANUAL, note=note
        )
    source_type = ContentType.objects.get_for_model(source)
    if kind is None:
        kind = _KIND_BY_MODEL.get(source_type.model, FollowUpSource.ACTION)
    lookup = {"owner": owner, "person": person, "source_type": source_type, "source_id": source.pk}
    existing = FollowUp.objects.filter(**lookup).first()
    if existing:
        return existing
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin may win the unique race
            return FollowUp.objects.create(**lookup, due_on=due_on, kind=kind, note=note)
    except IntegrityError:
        return FollowUp.objects.get(**lookup)


@transaction.atomic
def followup_add(*, by: User, person: Person, due_on: datetime.date, note: str = "") -> FollowUp:
    """A follow-up `by` promises by hand: any person in their scope, any date, a note."""
    return followup_create(owner=by, person=person, due_on=due_on, note=note[:300])


@transaction.atomic
def followup_change(
    *, follow_up: FollowUp, by: User, due_on: datetime.date, note: str, owner: User
) -> FollowUp:
    """Reschedule a follow-up, change its note, or hand it to someone else (the caller has
    checked that `owner`'s scope includes the person). A done follow-up stays as it was."""
    if follow_up.done_at is not None:
        return follow_up
    follow_up.due_on, follow_up.note, follow_up.owner = due_on, note[:300], owner
    try:
        with transaction.atomic():
            follow_up.save(update_fields=["due_on", "note", "owner"])
    except IntegrityError as exc:  # the new owner already has this person from the same source
        raise ValidationError(
            _("%(name)s already has this follow-up.") % {"name": owner.get_full_name() or owner}
        ) from exc
    return follow_up


@transaction.atomic
def followup_complete(*, follow_up: FollowUp, outcome: str = "") -> FollowUp:
    """Mark a follow-up done now; completing it twice keeps the first time."""
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.outcome = outcome[:300]
        follow_up.save(update_fields=["done_at", "outcome"])
    return follow_up


def issues_add(*, names: Iterable[str]) -> list[IssueHeard]:
    """Issues by name, creating the ones the vocabulary does not have yet (case-insensitive)."""
    issues = []
    for raw in names:
        name = " ".join(raw.split())[:60]
        if not name:
            continue
        issue = IssueHeard.objects.filter(name__iexact=name).first()
        if issue is None:
            issue = IssueHeard.objects.create(name=name.lower())
        issues.append(issue)
    return issues


def _primary_congregation_id(person: Person) -> int | None:
    return (
        Membership.objects.filter(person=person)
        .order_by("-is_primary", "id")
        .values_list("congregation_id", flat=True)
        .first()
    )


def _person_add(
    *, by: User, first_name: str, last_name: str, congregation, email: str = "", phone: str = ""
) -> Person:
    """A new person met at a meeting, through the directory's own service (ladder row, audit)."""
    return person_create(
        by=by,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        congregation=congregation,
        email=email,
        phone=phone,
    )


@transaction.atomic
def one_on_one_log(
    *,
    by: User,
    person: Person | NewPerson,
    held_on: datetime.date,
    issues: Iterable[IssueHeard] = (),
    new_issues: Iterable[str] = (),
    notes: str = "",
    share_notes: bool = False,
    place: str = "",
    duration_minutes: int | None = None,
    potential: str = "",
    next_step: str = "",
    follow_up_on: datetime.date | None = None,
) -> OneOnOne:
    """Log a one-on-one `by` held with `person` (a `NewPerson` is added to the directory first),
    the issues heard (`new_issues` are added to the vocabulary), and the follow-up `by` promised,
    if any."""
    if isinstance(person, NewPerson):
        person = _person_add(
            by=by,
            first_name=person.first_name,
            last_name=person.last_name,
            congregation=person.congregation,
            email=person.email,
            phone=person.phone,
        )
    meeting = OneOnOne.objects.create(
        author=by,
        author_person=Person.objects.filter(user=by).first(),
        person=person,
        congregation_id=_primary_congregation_id(person),
        held_on=held_on,
        notes=notes,
        notes_shared_with_core_team=share_notes,
        place=place,
        duration_minutes=duration_minutes,
        potential=potential,
        next_step=next_step,
    )
    meeting.issues.set([*issues, *issues_add(names=new_issues)])
    tallies.one_on_one_counted(meeting)
    if follow_up_on:
        followup_create(
            owner=by, person=person, due_on=follow_up_on, source=meeting, note=next_step
        )
    return meeting


@transaction.atomic
def house_meeting_log(
    *,
    by: User,
    congregation: Congregation,
    held_on: datetime.date,
    attendees: Iterable[Person] = (),
    new_attendees: Iterable[tuple[str, str]] = (),
    issues: Iterable[IssueHeard] = (),
    notes: str = "",
    share_notes: bool = False,
    place: str = "",
) -> HouseMeeting:
    """Log a house meeting `by` facilitated for `congregation`; `new_attendees` (first and last
    names) are added to the directory as people of the host congregation. Its attendees see it on
    their timeline."""
    new_people = [
        _person_add(by=by, first_name=first, last_name=last, congregation=congregation)
        for first, last in new_attendees
    ]
    meeting = HouseMeeting.objects.create(
        facilitator=by,
        congregation=congregation,
        held_on=held_on,
        notes=notes,
        notes_shared_with_core_team=share_notes,
        place=place,
    )
    meeting.attendees.set([*attendees, *new_people])
    meeting.issues.set(issues)
    tallies.house_meeting_counted(meeting)
    return meeting


def meeting_notes_read(*, meetings: Iterable[OneOnOne | HouseMeeting], by: User) -> int:
    """Record that `by` was shown the story of each of `meetings` (fetched through the selectors,
    so each carries `notes_readable` and `visible_notes`): one audit row per meeting whose notes
    were on the page and are not `by`'s own. Returns how many were recorded."""
    reads: list[tuple[int | None, OneOnOne | HouseMeeting]] = []
    for meeting in meetings:
        shown: Any = meeting  # annotated by relationships.selectors._with_private_notes
        if not (shown.notes_readable and shown.visible_notes):
            continue
        if isinstance(meeting, OneOnOne):
            if meeting.author_id != by.pk:
                reads.append((meeting.person_id, meeting))
        elif meeting.facilitator_id != by.pk:
            reads.append((None, meeting))
    if not reads:
        return 0
    return audit_reads(by=by, action=AuditEvent.Action.VIEW_STORY, records=reads)
