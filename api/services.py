"""Writes through the API: tokens, identities, and the OSDI writes, each calling the owning app's
service so the app's rules hold (the import's matching, ladder rows, audit rows).

Every write made with a token is audited with members.services.audit_log (action "api", the
token's id and what was done), in the same transaction as the write.
"""

import csv
import datetime
import hashlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action, ActionKind, Attendance
from actions.services import action_create, attendance_rsvp
from congregations.models import Congregation
from congregations.selectors import congregations_visible_to
from members.importing import CONTRACT_HEADER, RowOutcome
from members.models import ImportRow, Person, Tag, User
from members.selectors import people_visible_to
from members.services import audit_log, people_import, person_update, tags_get_or_create

from .models import ApiIdentity, ApiToken
from .selectors import Tagging, identities_of_model, identity_rows

AUDIT_ACTION = "api"  # one audit action for everything written through the API
MAX_FOREIGN_IDENTIFIERS = 20
USED_EVERY = datetime.timedelta(minutes=1)  # last_used_at is refreshed at most this often
DEFAULT_EVENT_LENGTH = datetime.timedelta(hours=2)
NO_FIRST_NAME = "-"  # stands in for a missing given name while matching; never written


def _audit(*, by: User, token: ApiToken | None, what: str, person_id: int | None = None, **rest):
    audit_log(
        by=by,
        action=AUDIT_ACTION,
        person_id=person_id,
        what=what,
        token=token.pk if token else None,
        **rest,
    )


# --- Tokens ------------------------------------------------------------------------------------

TOKEN_PREFIX = "conect_"  # noqa: S105 - a label, not a secret


def new_token() -> str:
    """A fresh token: a recognisable prefix and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest_of(token: str) -> str:
    # 256 random bits: a plain SHA-256 is enough, there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns (row, token). The token is not stored, only its digest:
    show it now, it cannot be shown again."""
    token = new_token()
    row = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=token[:12], digest=digest_of(token)
    )
    audit_log(by=by, action=AUDIT_ACTION, what="token_create", token=row.pk, user=user.pk)
    return row, token


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    """Stop a token working, at once; the row stays to show when and by whom."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(by=by, action=AUDIT_ACTION, what="token_revoke", token=token.pk)
    return token


def token_mark_used(*, token: ApiToken) -> None:
    """Note when a token was last used (at most once a minute: no write per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Identities --------------------------------------------------------------------------------


def identities_for(model: type[Model], ids: Iterable[int]) -> dict[int, ApiIdentity]:
    """{object id: identity} for every id, making the missing ones (objects the API shows for
    the first time). One query when all exist, three otherwise; safe against a concurrent twin."""
    ids = list(dict.fromkeys(ids))
    found = identity_rows(model, ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        opts = model._meta  # uncached: see selectors.identities_of_model
        content_type, _new = ContentType.objects.get_or_create(
            app_label=opts.app_label, model=opts.model_name
        )
        ApiIdentity.objects.bulk_create(
            [ApiIdentity(content_type=content_type, object_id=pk) for pk in missing],
            ignore_conflicts=True,
        )
        found.update(identity_rows(model, missing))
    return found


def identity_of(obj: Model) -> ApiIdentity:
    return identities_for(type(obj), [obj.pk])[obj.pk]


def identity_keep_foreign(*, obj: Model, identifiers: Iterable[str]) -> ApiIdentity:
    """Keep the identifiers another system gave `obj` ("their_system:their_id"), as OSDI asks;
    our own `conect:` ones are ours to give, never to receive."""
    identity = identity_of(obj)
    kept = list(identity.foreign_identifiers)
    for value in identifiers:
        value = str(value).strip()[:200]
        if ":" in value and not value.lower().startswith("conect:") and value not in kept:
            kept.append(value)
    kept = kept[:MAX_FOREIGN_IDENTIFIERS]
    if kept != identity.foreign_identifiers:
        identity.foreign_identifiers = kept
        identity.save(update_fields=["foreign_identifiers"])
    return identity


def identity_touch(*, model: type[Model], pk: int) -> None:
    """`model` #`pk` changed just now (for objects with no modification time of their own)."""
    identities_of_model(model).filter(object_id=pk).update(touched_at=timezone.now())


def identity_forget(*, model: type[Model], pk: int) -> None:
    """The object is gone (a privacy deletion, say): so are the identifiers kept for it."""
    identities_of_model(model).filter(object_id=pk).delete()


def identity_merge(*, survivor_id: int, duplicate_id: int) -> None:
    """Two people were merged: the survivor keeps the merged-away record's identifiers (its
    `conect:` uuid among them), so another system's link still finds the person by them."""
    identities = identities_for(Person, [survivor_id])
    survivor = identities[survivor_id]
    duplicate = identity_rows(Person, [duplicate_id]).get(duplicate_id)
    if duplicate is None:
        return
    extra = [f"conect:{duplicate.uuid}", *duplicate.foreign_identifiers]
    merged = list(dict.fromkeys([*survivor.foreign_identifiers, *extra]))
    survivor.foreign_identifiers = merged[:MAX_FOREIGN_IDENTIFIERS]
    survivor.save(update_fields=["foreign_identifiers"])
    duplicate.delete()


# --- People: the person signup helper ------------------------------------------------------


@dataclass
class Signup:
    """What a POST to /people/ asks for, in CONECT's terms (serializers.py reads the OSDI)."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    town: str = ""
    zip: str = ""
    language: str = ""
    congregation: str = ""  # custom_fields["congregation"]: a slug or a name
    email_ok: bool | None = None
    sms_ok: bool | None = None
    add_tags: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)


def _congregation_for(signup: Signup, by: User) -> Congregation:
    """The congregation named in the request, among those `by` may see; or `by`'s only one."""
    mine = congregations_visible_to(by)
    wanted = signup.congregation.strip()
    if wanted:
        found = mine.filter(slug__iexact=wanted).first() or mine.filter(name__iexact=wanted).first()
        if found is None:
            raise ValidationError(
                _("Unknown congregation “%(value)s”: use the slug of one you work with.")
                % {"value": wanted}
            )
        return found
    only = list(mine[:2])
    if len(only) != 1:
        raise ValidationError(_("Say which congregation: custom_fields.congregation (its slug)."))
    return only[0]


def import_one(*, signup: Signup, congregation: Congregation, by: User) -> tuple[int | None, str]:
    """Match and write one person exactly as the CSV import would (members.services.
    people_import: its matching, its fill-empty-fields-only rule, its audit row): the one
    place the API calls the import. Returns (person id, "new" | "matched" | "unchanged").
    Only people `by` may see are matched (the import's `people`): someone outside scope is
    added again as a new person, so a token can neither pull someone in nor learn they exist.

    With no given name the import cannot add someone new; it is asked first (a dry run)
    whether the email or phone matches someone, and writes only then."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CONTRACT_HEADER)
    row = {
        "first_name": signup.first_name or NO_FIRST_NAME,
        "last_name": signup.last_name,
        "email": signup.email,
        "phone": signup.phone,
        "congregation": congregation.slug,
        "street": signup.street,
        "town": signup.town,
        "zip": signup.zip,
        "language": signup.language,
        "tags": "",  # tags are added by name below: the CSV column splits on commas
    }
    writer.writerow([row[name] for name in CONTRACT_HEADER])
    options: dict[str, Any] = {
        "text": buffer.getvalue(),
        "by": by,
        "congregations": [congregation],
        # Matching stays within the caller's scope, as the CSV import's (issue 11).
        "people": people_visible_to(by, include_archived=True),
    }
    new = (ImportRow.Action.NEW, ImportRow.Action.FLAGGED)
    if not signup.first_name:
        seen: list[RowOutcome] = []
        preview = people_import(**options, dry_run=True, outcomes=seen.append)
        _raise_row_errors(preview)
        if seen[0].action in new:
            raise ValidationError(_("given_name is needed to add someone new."))
    outcomes: list[RowOutcome] = []
    plan = people_import(**options, filename="API person signup helper", outcomes=outcomes.append)
    _raise_row_errors(plan)
    outcome = outcomes[0]
    if not signup.first_name and outcome.action in new:  # the match vanished meanwhile
        raise ValidationError(_("given_name is needed to add someone new."))
    person_id = plan.people.pid[outcome.number] or None
    label: dict[str, str] = {"update": "matched", "unchanged": "unchanged"}
    return person_id, label.get(outcome.action, "new")


def _raise_row_errors(plan) -> None:
    if plan.errors:
        raise ValidationError([error.message for error in plan.errors])


@transaction.atomic
def person_signup(
    *, signup: Signup, by: User, token: ApiToken | None = None
) -> tuple[Person, bool]:
    """The person signup helper: find the person by email or phone (the import's matching),
    fill what was empty, or add them to the congregation; then add tags and keep the other
    system's identifiers. Returns (person, created)."""
    if not (signup.email or signup.phone):
        raise ValidationError(_("Give an email address or a phone number."))
    congregation = _congregation_for(signup, by)
    person_id, outcome = import_one(signup=signup, congregation=congregation, by=by)
    person = Person.objects.get(pk=person_id or 0)
    consent: dict[str, Any] = {}
    if signup.email_ok is not None and person.email_ok != signup.email_ok:
        consent["email_ok"] = signup.email_ok and not person.do_not_contact
    if signup.sms_ok is not None and person.sms_ok != signup.sms_ok:
        consent["sms_ok"] = signup.sms_ok and not person.do_not_contact
    consent = {name: value for name, value in consent.items() if getattr(person, name) != value}
    if consent:
        person = person_update(person=person, by=by, **consent)
    added = _tags_add(person, signup.add_tags)
    identity_keep_foreign(obj=person, identifiers=signup.identifiers)
    _audit(
        by=by,
        token=token,
        what="person_signup",
        person_id=person.pk,
        outcome=outcome,
        congregation=congregation.pk,
        tags=added,
        consent=sorted(consent),
    )
    return person, outcome == "new"


def _tags_add(person: Person, names: Iterable[str]) -> list[str]:
    tags = tags_get_or_create(names=names)
    have = set(person.tags.values_list("pk", flat=True))
    new = [t for t in tags if t.pk not in have]
    person.tags.add(*new)
    return [t.name for t in new]


# --- Tags and taggings -------------------------------------------------------------------------


@transaction.atomic
def tag_create(*, name: str, by: User, token: ApiToken | None = None) -> tuple[Tag, bool]:
    """A tag by name; an existing one (compared without case) is returned as it is."""
    name = name.strip()
    if not name:
        raise ValidationError(_("A tag needs a name."))
    existed = Tag.objects.filter(name__iexact=name).exists()
    (tag,) = tags_get_or_create(names=[name])
    if not existed:
        _audit(by=by, token=token, what="tag_create", tag=tag.pk, name=tag.name)
    return tag, not existed


@transaction.atomic
def tagging_create(
    *, tag: Tag, person: Person, by: User, token: ApiToken | None = None, identifiers=()
) -> tuple[Model, bool]:
    """Tag a person (once: tagging twice returns the first tagging)."""
    row, created = Tagging.objects.get_or_create(tag=tag, person=person)
    if identifiers:
        identity_keep_foreign(obj=row, identifiers=identifiers)
    if created:
        _audit(by=by, token=token, what="tagging_create", person_id=person.pk, tag=tag.name)
    return row, created


@transaction.atomic
def tagging_delete(*, tagging: Model, by: User, token: ApiToken | None = None) -> None:
    person_id, tag_name = tagging.person_id, tagging.tag.name  # type: ignore[attr-defined]
    pk = tagging.pk
    tagging.delete()
    identity_forget(model=Tagging, pk=pk)
    _audit(by=by, token=token, what="tagging_delete", person_id=person_id, tag=tag_name)


# --- Events and attendance ---------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    by: User,
    ends_at: datetime.datetime | None = None,
    description: str = "",
    kind: str = ActionKind.PUBLIC_ACTION,
    identifiers: Iterable[str] = (),
    token: ApiToken | None = None,
) -> Action:
    """Schedule an action (actions.services.action_create: `by` is its creator). An event with
    no end is given DEFAULT_EVENT_LENGTH."""
    action = action_create(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + DEFAULT_EVENT_LENGTH,
        place=place,
        agenda=description,
        by=by,
    )
    identity_keep_foreign(obj=action, identifiers=identifiers)
    _audit(by=by, token=token, what="event_create", action_id=action.pk)
    return action


@transaction.atomic
def attendance_record(
    *,
    action: Action,
    person: Person,
    rsvp: str,
    by: User,
    token: ApiToken | None = None,
    identifiers: Iterable[str] = (),
) -> tuple[Attendance, bool]:
    """Record an RSVP (actions.services.attendance_rsvp). Returns (attendance, created)."""
    existed = Attendance.objects.filter(action=action, person=person).exists()
    row = attendance_rsvp(action=action, person=person, rsvp=rsvp)
    identity_keep_foreign(obj=row, identifiers=identifiers)
    _audit(
        by=by,
        token=token,
        what="attendance_record",
        person_id=person.pk,
        action_id=action.pk,
        rsvp=rsvp,
    )
    return row, not existed
