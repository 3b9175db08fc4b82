"""Writes about people: one function per business verb, atomic, keyword-only.

Views, the admin, management commands and Celery tasks all call these, so the rules (history
rows, audit events, matching) hold whichever door a change comes through.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from conect import access, audit
from conect.clientip import current_client_ip
from conect.dispatch import dispatch, send
from conect.ladder import LADDER, Level
from congregations.models import Congregation, Membership, MembershipRole
from congregations.selectors import congregations_visible_to

from .bulk import draw_ids, insert_rows
from .importing import FILLABLE, ImportPlan, RowOutcome, plan_import
from .merging_values import keep_one_answer_each
from .models import (
    AuditEvent,
    DuplicatePair,
    ImportJob,
    ImportRow,
    LeadershipChange,
    NotDuplicate,
    OtherEmail,
    Person,
    Tag,
    User,
)
from .selectors import people_visible_to
from .signals import person_merged

BATCH = 2000


class MergeConflict(Exception):
    """Two people cannot be merged without losing a one-to-one record (e.g. two logins)."""


def audit_log(
    *,
    by: User | None,
    action: str,
    person_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    **detail,
):
    """One row in the audit log: who (`by`, None for the system) did what, to whom (a person,
    and/or another record: `conect.audit.about(record)`), and from which address (the request
    being served, conect.clientip; none for a task or a command). `detail` names fields and
    filters, never the sensitive values themselves."""
    return AuditEvent.objects.create(
        **_audit_row(by, action, person_id, object_type, object_id, detail)
    )


def audit_reads(*, by: User, action: str, records: Iterable[tuple[int | None, Any]]) -> int:
    """Many reads shown on one page, one row each (person id, record), in one INSERT."""
    rows = [
        AuditEvent(**_audit_row(by, action, person_id, **audit.about(record), detail={}))
        for person_id, record in records
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


def _audit_row(by, action, person_id, object_type, object_id, detail) -> dict[str, Any]:
    return {
        "actor": by if by is not None and by.pk else None,
        "action": action,
        "person_id": person_id,
        "object_type": object_type,
        "object_id": object_id,
        "detail": detail,
        "client_ip": current_client_ip(),
    }


def tags_get_or_create(*, names: Iterable[str]) -> list[Tag]:
    """Existing tags matched case-insensitively; missing ones created."""
    wanted = {name.strip().lower(): name.strip() for name in names if name.strip()}
    if not wanted:
        return []
    existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
    missing = [Tag(name=wanted[key][:60]) for key in wanted if key not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
    return [existing[key] for key in wanted if key in existing]


def _set_primary_congregation(person: Person, congregation: Congregation, *, by: User) -> None:
    """Make `congregation` `person`'s primary one. Both the old and the new primary must be in
    `by`'s scope: which congregation someone belongs to first is not another's to change."""
    current = person.memberships.filter(is_primary=True).first()
    if current and current.congregation_id == congregation.pk:
        return
    moved = [congregation.pk] + ([current.congregation_id] if current else [])
    if not all(access.in_scope(by, congregation_id) for congregation_id in moved):
        raise PermissionError("the primary congregation is outside the editor's scope")
    person.memberships.filter(is_primary=True).update(is_primary=False)
    membership, created = Membership.objects.get_or_create(
        person=person, congregation=congregation, defaults={"is_primary": True}
    )
    if not created:
        membership.is_primary = True
        membership.save(update_fields=["is_primary"])


def _set_other_congregations(person: Person, wanted: Iterable[Congregation], *, by: User) -> None:
    """Make `person`'s non-primary memberships among the congregations `by` may see exactly
    `wanted`; memberships elsewhere are not the editor's to change."""
    wanted_ids = {c.pk for c in wanted if access.in_scope(by, c.pk)}
    current = {m.congregation_id: m for m in person.memberships.all()}
    for congregation_id in wanted_ids - set(current):
        Membership.objects.create(person=person, congregation_id=congregation_id, is_primary=False)
    for congregation_id, membership in current.items():
        mine = access.in_scope(by, congregation_id)
        if mine and congregation_id not in wanted_ids and not membership.is_primary:
            membership.delete()


@transaction.atomic
def person_create(
    *,
    by: User,
    congregation: Congregation,
    tags: Iterable[Tag] = (),
    new_tags: Iterable[str] = (),
    other_congregations: Iterable[Congregation] = (),
    **fields,
) -> Person:
    """A new person whose primary congregation is `congregation`; their first ladder row says
    who added them."""
    person = Person.objects.create(**fields)
    Membership.objects.create(person=person, congregation=congregation, is_primary=True)
    for other in other_congregations:
        if other.pk != congregation.pk:
            Membership.objects.create(person=person, congregation=other, is_primary=False)
    person.tags.set([*tags, *tags_get_or_create(names=new_tags)])
    _record_added(person, by=by)
    return person


def _record_added(person: Person, *, by: User) -> None:
    """A new person's first ladder row (who added them) and audit row."""
    LeadershipChange.objects.create(
        person=person, from_level="", to_level=person.level, changed_by=by, reason=_("Added")
    )
    audit_log(by=by, action=AuditEvent.Action.CREATE, person_id=person.pk)


@transaction.atomic
def person_admin_save(*, person: Person, by: User, adding: bool, changed: Iterable[str]) -> Person:
    """Save a person from the Django admin with the same records as the app's forms: a new
    person's first ladder row, an audit row either way. (The admin's own form has validated
    the fields; memberships arrive through its inline, saved after this.)"""
    person.save()
    if adding:
        _record_added(person, by=by)
    else:
        fields = sorted(name for name in changed if name != "level")
        audit_log(by=by, action=AuditEvent.Action.UPDATE, person_id=person.pk, fields=fields)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    by: User,
    congregation: Congregation | None = None,
    tags: Iterable[Tag] | None = None,
    new_tags: Iterable[str] = (),
    other_congregations: Iterable[Congregation] | None = None,
    **fields,
) -> Person:
    """Change contact details, consent and (for roles that may) sensitive fields. The ladder
    level changes only through person_move_on_ladder, so it always has a history row.
    Memberships change only within `by`'s scope; moving a primary membership that lies outside
    it raises PermissionError."""
    fields.pop("level", None)
    # Compared with the stored row, not `person`: a ModelForm has already copied the new values
    # onto its instance by the time a view calls this, so the instance would show no change.
    stored = Person.objects.filter(pk=person.pk).values(*fields).get()
    before = _relations_of(person)
    changed = {name for name, value in fields.items() if stored[name] != value}
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(exclude=["user"])
    person.save()
    if congregation is not None:
        _set_primary_congregation(person, congregation, by=by)
    if other_congregations is not None:
        _set_other_congregations(person, other_congregations, by=by)
    if tags is not None:
        person.tags.set([*tags, *tags_get_or_create(names=new_tags)])
    after = _relations_of(person)
    changed |= {name for name in before if before[name] != after[name]}
    audit_log(by=by, action=AuditEvent.Action.UPDATE, person_id=person.pk, fields=sorted(changed))
    return person


def _relations_of(person: Person) -> dict[str, Any]:
    """What an edit may change besides the person's own columns, to name in the audit row."""
    memberships = list(person.memberships.values_list("congregation_id", "is_primary"))
    return {
        "congregation": {pk for pk, primary in memberships if primary},
        "other_congregations": {pk for pk, primary in memberships if not primary},
        "tags": set(person.tags.values_list("pk", flat=True)),
    }


@transaction.atomic
def person_move_on_ladder(*, person: Person, to_level: str, by: User, reason: str) -> Person:
    """Move someone up (or down) the leadership ladder, keeping who, when and why. The level is
    the person's own; the core-team role it implies is set on their primary membership only when
    that congregation is in `by`'s scope (another congregation's core team is its own to name)."""
    if to_level not in LADDER:
        raise ValueError(f"unknown ladder level {to_level!r}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.level == to_level:
        return person
    LeadershipChange.objects.create(
        person=person, from_level=person.level, to_level=to_level, reason=reason, changed_by=by
    )
    person.level = to_level
    person.save(update_fields=["level", "updated_at"])
    # A core-team rung shows on the congregation page as a core-team membership role.
    core = to_level in (Level.CORE_TEAM, Level.KEY_LEADER)
    primary = person.memberships.filter(is_primary=True).exclude(role=MembershipRole.CLERGY)
    scope = access.visible_congregation_ids(by)
    if scope is not None:
        primary = primary.filter(congregation_id__in=scope)
    primary.update(role=MembershipRole.CORE_TEAM if core else MembershipRole.MEMBER)
    return person


@transaction.atomic
def person_archive(*, person: Person, by: User) -> Person:
    """Soft delete: off every list and every message, history kept, restorable."""
    if person.archived_at is None:
        person.archived_at = timezone.now()
        person.save(update_fields=["archived_at", "updated_at"])
        audit_log(by=by, action=AuditEvent.Action.ARCHIVE, person_id=person.pk)
    return person


@transaction.atomic
def person_unarchive(*, person: Person, by: User) -> Person:
    if person.archived_at is not None:
        person.archived_at = None
        person.save(update_fields=["archived_at", "updated_at"])
        audit_log(by=by, action=AuditEvent.Action.UNARCHIVE, person_id=person.pk)
    return person


@transaction.atomic
def person_delete(*, person: Person, by: User, reason: str) -> None:
    """Erase a person for a privacy request (admins only). The audit row keeps the id, who and
    why — not the name or contact details the request asked us to remove."""
    if not access.is_admin(by):
        raise PermissionError("only admins delete people")
    person_id = person.pk
    person.delete()
    audit_log(by=by, action=AuditEvent.Action.DELETE, person_id=person_id, reason=str(reason))


def audit_sensitive_view(*, person: Person, by: User, where: str) -> None:
    """Record that `by` was shown someone's private notes, and on which page ("page": the
    person's page; "edit": the edit form, which shows them to change them). Self-identified
    demographics audit their own page (members.demographics)."""
    if person.notes:
        audit_log(by=by, action=AuditEvent.Action.VIEW_SENSITIVE, person_id=person.pk, where=where)


@transaction.atomic
def duplicate_dismiss(*, first: Person, second: Person, by: User) -> NotDuplicate:
    """Record that two suggested people are different people; the pair is not suggested again."""
    low, high = sorted([first.pk, second.pk])
    if low == high:
        raise ValueError("a person is not their own duplicate")
    decision, _created = NotDuplicate.objects.get_or_create(
        first_id=low, second_id=high, defaults={"decided_by": by}
    )
    DuplicatePair.objects.filter(first_id=low, second_id=high).delete()  # off the queue now
    return decision


# --- Merge ---------------------------------------------------------------------------------


def _move_related(survivor: Person, duplicate: Person) -> dict:
    """Re-point every foreign key and many-to-many that refers to `duplicate` at `survivor`,
    discovered through Person._meta.related_objects so relations added by later apps
    (one-on-ones, attendance, …) move without editing this function. A row that would break a
    unique constraint on the survivor records a fact the survivor already has: it is dropped."""
    moved, dropped = {}, {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        label = model._meta.label
        field: Any = relation.field
        if relation.many_to_many:
            through = field.remote_field.through
            person_col = field.m2m_reverse_field_name()
            other_col = field.m2m_field_name()
            rows = through._base_manager.filter(**{person_col: duplicate.pk})
            have = set(
                through._base_manager.filter(**{person_col: survivor.pk}).values_list(
                    other_col, flat=True
                )
            )
            dupes = rows.filter(**{f"{other_col}__in": have})
            dropped[label] = dupes.count()
            dupes.delete()
            moved[label] = rows.update(**{person_col: survivor.pk})
            continue
        queryset = model._base_manager.filter(**{field.name: duplicate.pk})
        count = 0
        for pk in list(queryset.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field.attname: survivor.pk})
                count += 1
            except IntegrityError:
                if relation.one_to_one:
                    raise MergeConflict(
                        _("Both people have a %(what)s: resolve that first.")
                        % {"what": model._meta.verbose_name}
                    ) from None
                model._base_manager.filter(pk=pk).delete()
                dropped[label] = dropped.get(label, 0) + 1
        moved[label] = count
    return {
        "moved": {k: v for k, v in moved.items() if v},
        "dropped": {k: v for k, v in dropped.items() if v},
    }


def _keep_merged_email(survivor: Person, duplicate: Person) -> bool:
    """The merged-away record's email, when the survivor has another one, is kept as one of the
    survivor's other emails (its own other emails have already moved with its records): a merge
    never loses an address. Returns whether one was added."""
    email = duplicate.email.strip().lower()
    if not email or email == survivor.email.strip().lower():
        return False
    _row, created = OtherEmail.objects.get_or_create(
        person=survivor,
        email=email,
        defaults={"note": _("From the merged record #%(id)s") % {"id": duplicate.pk}},
    )
    return created


@transaction.atomic
def person_merge(*, survivor: Person, duplicate: Person, by: User) -> Person:
    """Fold `duplicate` into `survivor` in one transaction: every related record moves to the
    survivor, empty fields are filled from the duplicate (never overwritten), consent keeps the
    stricter choice, the ladder keeps the higher rung, and the duplicate is deleted. Audited."""
    if survivor.pk == duplicate.pk:
        raise ValueError("cannot merge a person with themself")
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if survivor.user_id and duplicate.user_id:
        raise MergeConflict(_("Both people have a login: deactivate one first."))

    # Two primary memberships cannot coexist on one person: the survivor's stays primary.
    if survivor.memberships.filter(is_primary=True).exists():
        duplicate.memberships.filter(is_primary=True).update(is_primary=False)
    filled = []
    for name in FILLABLE:
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
            filled.append(name)
    if duplicate.notes and duplicate.notes not in survivor.notes:
        survivor.notes = "\n\n".join(filter(None, [survivor.notes, duplicate.notes]))
    survivor.do_not_contact = survivor.do_not_contact or duplicate.do_not_contact
    survivor.email_ok = survivor.email_ok and duplicate.email_ok
    survivor.sms_ok = survivor.sms_ok and duplicate.sms_ok
    if duplicate.user_id:
        survivor.user_id, duplicate.user_id = duplicate.user_id, None
        duplicate.save(update_fields=["user"])
    keep_one_answer_each(survivor=survivor, duplicate=duplicate)  # one-to-one: choose first
    relations = _move_related(survivor, duplicate)
    kept_email = _keep_merged_email(survivor, duplicate)
    survivor.tags.add(*duplicate.tags.all())
    higher = max(survivor.level, duplicate.level, key=LADDER.index)
    if higher != survivor.level:
        LeadershipChange.objects.create(
            person=survivor,
            from_level=survivor.level,
            to_level=higher,
            changed_by=by,
            reason=_("Merged with a duplicate record"),
        )
        survivor.level = higher
    survivor.save()
    duplicate_id = duplicate.pk
    person_merged.send(sender=Person, survivor=survivor, duplicate_id=duplicate_id)
    duplicate.delete()
    audit_log(
        by=by,
        action=AuditEvent.Action.MERGE,
        person_id=survivor.pk,
        merged_person_id=duplicate_id,
        filled=filled,
        kept_email=kept_email,
        **relations,
    )
    return survivor


# --- Import --------------------------------------------------------------------------------


def people_import(
    *,
    text: str | bytes | bytearray,
    by: User | None,
    congregations: Iterable[Congregation],
    people=None,
    default_congregation: Congregation | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    outcomes: Callable[[RowOutcome], None] | None = None,
    filename: str = "",
) -> ImportPlan:
    """Import people from CSV text. All or nothing by default: any invalid row and nothing is
    written; with `skip_invalid` the valid rows are written and the others only reported.
    `people`: whom the importer may match (their scope; everyone when None). Returns the plan
    (counts and row errors). Re-running the same file changes nothing."""
    options: dict[str, Any] = {
        "congregations": congregations,
        "people": people,
        "default_congregation": default_congregation,
        "progress": progress,
        "outcomes": outcomes,
    }
    if dry_run:  # outside a transaction, so a worker's progress is visible as it goes
        return plan_import(text, **options)
    with transaction.atomic(), _ImportWriter() as writer:
        plan = plan_import(text, writer=writer, skip_invalid=skip_invalid, **options)
        writer.finish()
        if plan.file_error or (plan.errors and not skip_invalid) or not plan.has_changes:
            return plan
        audit_log(
            by=by,
            action=AuditEvent.Action.IMPORT,
            filename=filename[:200],
            skip_invalid=skip_invalid,
            **plan.counts,
        )
    return plan


class _ImportWriter:
    """plan_import's writes. On PostgreSQL new people stream through one COPY, opened at the
    first new person with ids drawn from the sequence beforehand (one for each row that may
    still be new: the rest are skipped), so the database stores them while the import reads
    the next rows; it stays open until a flush needs the connection (a progress report, the
    end). Then the memberships (COPY) and tags (bulk inserts); at the end the filled fields of
    matched people, grouped by which they are. Elsewhere (SQLite) each batch's people are
    bulk-created at its flush. People are numbers in plan_import's people (their database ids
    are `people.pid`)."""

    COLUMNS = ["first_name", "language", *FILLABLE, "level", "email_ok", "sms_ok"]
    COLUMNS += ["do_not_contact", "notes", "user_id", "archived_at", "created_at", "updated_at"]

    def __init__(self) -> None:
        self.now = timezone.now()
        self.people: Any = None
        self.tag_ids: dict[str, int] = {}
        self.budget = 0
        self.per_copy: int | None = None
        self.defaults = [Level.MEMBER, True, False, False, "", None, None, self.now, self.now]
        self.streaming = connection.vendor == "postgresql"
        self.ids: list[int] = []  # drawn for this batch, last first
        self.copy: Any = None  # (the COPY's context manager, the COPY) while a batch is open
        self.pending: dict[int, dict] = {}  # SQLite: this batch's new people → their values
        self.memberships: list[tuple[int, int, bool]] = []
        self.links: list[tuple[int, str]] = []
        self.updates: dict[int, dict[str, str]] = {}

    def __enter__(self) -> "_ImportWriter":
        return self

    def __exit__(self, *error: Any) -> None:
        if self.copy is not None:  # an error mid-batch: end the COPY so the rollback can run
            manager, self.copy = self.copy[0], None
            manager.__exit__(*error)

    def start(
        self, people, tag_names: dict[str, str], new_at_most: int, per_flush: int | None
    ) -> None:
        self.people = people
        self.budget = new_at_most  # new people still possible: ids to draw at a COPY's start
        # A COPY lasts until the next flush that needs the connection: with progress reports,
        # `per_flush` rows, so it draws no more ids than that (not every remaining row's again).
        self.per_copy = per_flush
        tags = tags_get_or_create(names=tag_names.values())
        self.tag_ids = {tag.name.lower(): tag.pk for tag in tags}

    def create(self, person: int, values: dict) -> None:
        row = [values["first_name"], values["language"]]
        row += [values.get(name, "") for name in FILLABLE]
        if not self.streaming:
            self.pending[person] = dict(zip(self.COLUMNS, [*row, *self.defaults], strict=True))
            return
        if self.copy is None:
            self._open()
        pk = self.ids.pop()
        self.budget -= 1
        self.people.pid[person] = pk
        self.copy[1].write_row([pk, *row, *self.defaults])

    def _to_draw(self) -> int:
        return self.budget if self.per_copy is None else min(self.budget, self.per_copy)

    def _open(self) -> None:
        table = connection.ops.quote_name(Person._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in ["id", *self.COLUMNS])
        self.ids = draw_ids(Person._meta.db_table, max(self._to_draw(), 1))[::-1]
        raw = connection.connection.cursor()  # psycopg's, for COPY
        manager = raw.copy(f"COPY {table} ({columns}) FROM STDIN")
        self.copy = (manager, manager.__enter__())

    def fill(self, person: int, name: str, value: str) -> None:
        if person in self.pending:
            self.pending[person][name] = value
        else:
            self.updates.setdefault(self.people.pid[person], {})[name] = value

    def join(self, person: int, congregation_id: int, primary: bool) -> None:
        self.memberships.append((person, congregation_id, primary))

    def tag(self, person: int, name: str) -> None:
        if name in self.tag_ids:
            self.links.append((person, name))

    def flush(self, *, end: bool = True) -> None:
        if self.copy is not None:
            if not end:  # keep streaming: the database inserts while the import reads on
                return
            manager, self.copy = self.copy[0], None
            manager.__exit__(None, None, None)
        numbers = list(self.pending)
        for number, pk in zip(
            numbers, insert_rows(Person, list(self.pending.values())), strict=True
        ):
            self.people.pid[number] = pk
        self.pending = {}
        pid = self.people.pid
        insert_rows(
            Membership,
            [
                {
                    "person_id": pid[person],
                    "congregation_id": congregation_id,
                    "is_primary": primary,
                    "role": MembershipRole.MEMBER,
                    "created_at": self.now,
                }
                for person, congregation_id, primary in self.memberships
            ],
        )
        self.memberships = []
        Person.tags.through.objects.bulk_create(
            [
                Person.tags.through(person_id=pid[person], tag_id=self.tag_ids[name])
                for person, name in self.links
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        self.links = []

    def finish(self) -> None:
        """The last batch, then the matched people's filled fields, grouped by which ones:
        narrower, faster UPDATEs."""
        if self.people is None:
            return  # nothing was planned for writing (all or nothing, and a row was invalid)
        self.flush()
        groups: dict[tuple, list[tuple[int, dict[str, str]]]] = {}
        for pk, values in self.updates.items():
            groups.setdefault(tuple(sorted(values)), []).append((pk, values))
        self.updates = {}
        for fields, updates in groups.items():
            if self.streaming:  # one UPDATE from arrays: bulk_update's CASE has a branch a row
                self._update(fields, updates)
                continue
            people = [Person(pk=pk, updated_at=self.now, **values) for pk, values in updates]
            Person.objects.bulk_update(people, [*fields, "updated_at"], batch_size=BATCH)

    def _update(self, fields: tuple, updates: list[tuple[int, dict[str, str]]]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(name) for name in fields)
        sets = ", ".join(f"{quote(name)} = u.{quote(name)}" for name in fields)
        arrays = ", ".join(["%s::bigint[]", *["%s::text[]"] * len(fields)])
        table = quote(Person._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} p SET {sets}, updated_at = %s "  # noqa: S608 (names, not values)
                f"FROM unnest({arrays}) AS u(id, {columns}) WHERE p.id = u.id",
                [
                    self.now,
                    [pk for pk, _values in updates],
                    *([values[name] for _pk, values in updates] for name in fields),
                ],
            )


# --- Browser imports (ImportJob) -------------------------------------------------------------

ASYNC_ROWS = 1000  # bigger files are checked and written by a Celery worker
# A worker holds a step (checking or importing) for at most the task's hard time limit.
LEASE = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# A queued step that no worker has started after this long was lost (the broker was down).
QUEUE_GRACE = datetime.timedelta(minutes=3)


def _job_congregations(job: ImportJob):
    return congregations_visible_to(job.created_by)


CONTENT_CHUNK = 1 << 20  # characters


def _content_of(job: ImportJob) -> bytearray:
    """The stored upload as UTF-8 bytes, read a megabyte at a time: never a whole str in the
    worker (two to four bytes a character with accents or emoji), only the bytes plan_import
    streams."""
    rows = ImportJob.objects.filter(pk=job.pk)
    length = rows.annotate(n=Length("content")).values_list("n", flat=True).get()
    data = bytearray()
    for start in range(1, length + 1, CONTENT_CHUNK):
        part = rows.annotate(part=Substr("content", start, CONTENT_CHUNK))
        data += part.values_list("part", flat=True).get().encode("utf-8")
    return data


def _job_people(job: ImportJob):
    """Whom the uploader's rows may match: the people they may see, archived ones too. Anyone
    else named in the file becomes a new person (a possible duplicate for staff to review)."""
    return people_visible_to(job.created_by, include_archived=True)


class _RowSink:
    """Collects a preview's row outcomes and saves them 2,000 at a time (COPY on PostgreSQL)."""

    def __init__(self, job: ImportJob) -> None:
        self.job, self.rows = job, []  # type: tuple[ImportJob, list[dict]]
        self.json: Callable[[Any], Any] = lambda cells: cells
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb  # reason: COPY needs the column's type said

            self.json = Jsonb

    def __call__(self, outcome: RowOutcome) -> None:
        self.rows.append(
            {
                "job_id": self.job.pk,
                "line": outcome.line,
                "name": outcome.name[:201],
                "action": outcome.action,
                "person_id": outcome.person_id,
                "same_as_line": outcome.same_as_line,
                "reason": outcome.reason,
                "detail": outcome.detail,
                "cells": None if outcome.cells is None else self.json(outcome.cells),
            }
        )
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        insert_rows(ImportRow, self.rows)
        self.rows = []


def _job_progress(job: ImportJob) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        changes: dict[str, Any] = {"processed_rows": done, "heartbeat_at": timezone.now()}
        if total:
            changes["total_rows"] = total
        ImportJob.objects.filter(pk=job.pk).update(**changes)

    return report


@contextmanager
def _failing_job(job: ImportJob) -> Iterator[None]:
    """Mark `job` failed if the block raises (and re-raise): the page stops polling and says
    so, rather than spinning for ever."""
    try:
        yield
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise


def import_job_create(
    *, by: User, filename: str, text: str, congregation: Congregation | None
) -> ImportJob:
    """Keep the uploaded file and check it: now if it is small, on a worker if it is large.
    `text` has passed the upload form (importing.decode and check_file): a file that cannot be
    read at all never gets this far, so nothing of it is kept."""
    from .tasks import import_job_analyse_task  # reason: the task calls this module back

    rows = max(0, text.count("\n") - 1) or (1 if text.strip() else 0)
    job = ImportJob.objects.create(
        created_by=by,
        filename=filename[:255],
        content=text,
        congregation=congregation,
        total_rows=rows,
    )
    if rows > ASYNC_ROWS:
        dispatch(import_job_analyse_task, job_id=job.pk)
    else:
        import_job_analyse(job=job)
    return job


def _take_lease(job: ImportJob, status: str) -> bool:
    """Hold `job`'s current step, unless another worker holds it: a step queued twice (by the
    sweep, or a redelivered message) still runs once."""
    now = timezone.now()
    free = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - LEASE)
    held = ImportJob.objects.filter(free, pk=job.pk, status=status).update(heartbeat_at=now)
    return bool(held)


def import_job_analyse(*, job: ImportJob) -> ImportJob:
    """The preview: the same plan the import will write, with counts, row errors and what
    happens to every row (ImportRow)."""
    if not _take_lease(job, ImportJob.Status.ANALYSING):
        return job
    data = _content_of(job)
    with _failing_job(job):
        ImportRow.objects.filter(job=job).delete()  # a check started again starts afresh
        sink = _RowSink(job)
        plan = people_import(
            text=data,
            by=job.created_by,
            congregations=_job_congregations(job),
            people=_job_people(job),
            default_congregation=job.congregation,
            dry_run=True,
            progress=_job_progress(job),
            outcomes=sink,
        )
        sink.flush()
    job.refresh_from_db(fields=["status"])
    counts = plan.counts
    job.counts = {**counts, "ignored_columns": plan.ignored_columns, "header": plan.header}
    job.errors = [[error.line, error.message] for error in plan.errors[:500]]
    job.total_rows = job.processed_rows = plan.total_rows
    importable = counts["rows"] - counts["invalid"] > 0 and not plan.file_error
    job.status = ImportJob.Status.PREVIEW if importable else ImportJob.Status.INVALID
    fields = ["counts", "errors", "total_rows", "processed_rows", "status"]
    if not importable:
        job.content = ""  # nothing in it can be imported: do not keep its people
        fields.append("content")
        ImportRow.objects.filter(job=job).exclude(action=ImportRow.Action.ERROR).delete()
    job.save(update_fields=fields)
    return job


def import_jobs_requeue(*, now: datetime.datetime | None = None) -> int:
    """The beat's safety net: queue again each step that was lost, a check or an import queued
    more than QUEUE_GRACE ago that no worker started (the broker was down), or one whose worker
    died (no sign of it for longer than LEASE). The lease makes a duplicate harmless."""
    from .tasks import import_job_analyse_task, import_job_run_task  # reason: they call back

    now = now or timezone.now()
    tasks: dict[str, Any] = {
        ImportJob.Status.ANALYSING: import_job_analyse_task,
        ImportJob.Status.IMPORTING: import_job_run_task,
    }
    lost = ImportJob.objects.filter(status__in=list(tasks)).filter(
        Q(heartbeat_at__isnull=True, queued_at__lt=now - QUEUE_GRACE)
        | Q(heartbeat_at__lt=now - LEASE)
    )
    requeued = 0
    for job_id, status in lost.values_list("pk", "status"):
        ImportJob.objects.filter(pk=job_id).update(queued_at=now)
        requeued += send(tasks[status], job_id=job_id)
    return requeued


def import_uploads_purge(*, older_than: datetime.timedelta) -> int:
    """Forget the people in uploads that were previewed but never confirmed."""
    cutoff = timezone.now() - older_than
    ImportRow.objects.filter(job__created_at__lt=cutoff).delete()
    return (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(content="")
        .exclude(status=ImportJob.Status.IMPORTING)
        .update(content="", counts={}, status=ImportJob.Status.FAILED)
    )


def import_job_confirm(*, job: ImportJob, by: User, skip_invalid: bool = False) -> ImportJob:
    """Write a previewed import (re-checked against the database as it is now); the audit row
    names `by`, who confirmed it. A file with rejected rows is written only with
    `skip_invalid` (its valid rows); otherwise nothing is."""
    from .tasks import import_job_run_task  # reason: the task calls this module back

    if job.counts.get("invalid") and not skip_invalid:
        return job  # all or nothing: the file has rejected rows
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        counts={**job.counts, "skip_invalid": skip_invalid},
        status=ImportJob.Status.IMPORTING,
        processed_rows=0,
        confirmed_by=by,
        queued_at=timezone.now(),
        heartbeat_at=None,
    )
    if not claimed:  # a double click, or another tab, got there first
        return job
    if job.total_rows > ASYNC_ROWS:
        dispatch(import_job_run_task, job_id=job.pk)
        job.refresh_from_db()
        return job
    return import_job_run(job=job)


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Write a claimed import (status IMPORTING); anything else, or a step another worker
    holds, is left as it is."""
    if not _take_lease(job, ImportJob.Status.IMPORTING):
        job.refresh_from_db()
        return job
    job.refresh_from_db(
        fields=[f.attname for f in ImportJob._meta.concrete_fields if f.name != "content"]
    )
    data = _content_of(job)
    job.content = ""  # cleared once imported, or refused
    with _failing_job(job):
        skip_invalid = bool(job.counts.get("skip_invalid"))
        plan = people_import(
            text=data,
            by=job.confirmed_by or job.created_by,
            congregations=_job_congregations(job),
            people=_job_people(job),
            default_congregation=job.congregation,
            skip_invalid=skip_invalid,
            filename=job.filename,
        )
    job.counts = {
        **plan.counts,
        "ignored_columns": plan.ignored_columns,
        "header": plan.header,
        "skip_invalid": skip_invalid,
    }
    job.errors = [[error.line, error.message] for error in plan.errors[:500]]
    job.processed_rows = plan.total_rows
    job.finished_at = timezone.now()
    if plan.is_valid or (skip_invalid and not plan.file_error):
        job.status = ImportJob.Status.DONE
        job.content = ""  # the people are in the database now; do not keep a second copy
        # The preview's rows named people; only the rejected ones stay, for their CSV.
        ImportRow.objects.filter(job=job).exclude(action=ImportRow.Action.ERROR).delete()
    else:
        job.status = ImportJob.Status.INVALID
    job.save()
    return job
