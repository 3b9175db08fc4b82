"""Writes (and the audited read) for what a person tells us about themself for CONECT's values:
self-identified race/ethnicity, with consent, and voter registration as they report it.

Apart from services.py so the consent rules read in one place (docs/values.md); the same shape:
keyword-only, atomic, the acting user is `by`, every change and every view is an audit row.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from conect import access

from .equity import equity_group_of
from .models import AuditEvent, Demographics, Person, RaceEthnicity, User, VoterRegistration
from .services import audit_log


class ConsentMissing(ValueError):
    """Race/ethnicity is recorded only when the person has said yes, today."""


@transaction.atomic
def demographics_record(
    *,
    person: Person,
    groups: Sequence[str],
    self_described: str = "",
    consent: bool,
    by: User,
) -> Demographics:
    """Record what `person` says of their race/ethnicity, with their consent given today to
    `by` (an admin or organizer). Replaces what was there; audited (field names, no values)."""
    if not access.is_organizing_staff(by):
        raise PermissionError("only admins and organizers record demographics")
    if not consent:
        raise ConsentMissing("race/ethnicity is recorded only with the person's consent")
    chosen = [code for code in dict.fromkeys(groups) if code in RaceEthnicity.values]
    own_words = self_described.strip()[:100]
    if not chosen and not own_words:
        raise ValueError("nothing to record: withdraw instead")
    row, _created = Demographics.objects.update_or_create(
        person=person,
        defaults={
            "groups": chosen,
            "self_described": own_words,
            "equity_group": equity_group_of(chosen, own_words),
            "consented_on": timezone.localdate(),
            "consent_recorded_by": by,
            "updated_at": timezone.now(),
        },
    )
    audit_log(by=by, action=AuditEvent.Action.UPDATE, person_id=person.pk, fields=["demographics"])
    return row


@transaction.atomic
def demographics_withdraw(*, person: Person, by: User) -> bool:
    """The person withdrew consent (or never gave it): what we held is deleted, not hidden."""
    if not access.is_organizing_staff(by):
        raise PermissionError("only admins and organizers change demographics")
    deleted, _ = Demographics.objects.filter(person=person).delete()
    if deleted:
        audit_log(
            by=by,
            action=AuditEvent.Action.UPDATE,
            person_id=person.pk,
            fields=["demographics"],
            withdrawn=True,
        )
    return bool(deleted)


def demographics_read(*, person: Person, by: User) -> Demographics | None:
    """A person's demographics for `by` to see; the showing is an audit row (when there is
    something to show)."""
    if not access.is_organizing_staff(by):
        raise PermissionError("only admins and organizers see demographics")
    row = Demographics.objects.filter(person=person).first()
    if row is not None:
        audit_log(
            by=by,
            action=AuditEvent.Action.VIEW_SENSITIVE,
            person_id=person.pk,
            where="demographics",
        )
    return row


@transaction.atomic
def voter_registration_record(
    *,
    person: Person,
    status: str,
    town: str = "",
    asked_on: datetime.date | None = None,
    by: User,
) -> VoterRegistration:
    """What `person` told `by` about their voter registration on `asked_on` (today by
    default). Staff and leads; the latest answer replaces the one before."""
    if not access.is_staff_or_lead(by):
        raise PermissionError("only staff and leads record voter registration")
    row, _created = VoterRegistration.objects.update_or_create(
        person=person,
        defaults={
            "status": status,
            "town": town.strip()[:100],
            "asked_on": asked_on or timezone.localdate(),
            "recorded_by": by,
        },
    )
    audit_log(
        by=by, action=AuditEvent.Action.UPDATE, person_id=person.pk, fields=["voter registration"]
    )
    return row
