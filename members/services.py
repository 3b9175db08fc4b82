"""Writes about people: one function per business verb, atomic, keyword-only.

Views, the admin, management commands and Celery tasks all call these, so the rules (history
rows, audit events, matching) hold whichever door a change comes through.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from conect import access, audit
from conect.clientip import current_client_ip
from conect.dispatch import dispatch, send
from conect.ladder import LADDER, Level
from congregations.models import Congregation, Membership, MembershipRole
from congregations.selectors import congregations_visible_to

from .bulk import insert_rows
from .importing import FILLABLE, ImportPlan, plan_import
from .models import (
    AuditEvent,
    DuplicatePair,
    ImportJob,
    LeadershipChange,
    NotDuplicate,
    OtherEmail,
    Person,
    Tag,
    User,
)
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


def _set_primary_congregation(person: Person, congregation: Congregation) -> None:
    current = person.memberships.filter(is_primary=True).first()
    if current and current.congregation_id == congregation.pk:
        return
    person.memberships.filter(is_primary=True).update(is_primary=False)
    membership, created = Membership.objects.get_or_create(
        person=person, congregation=congregation, defaults={"is_primary": True}
    )
    if not created:
        membership.is_primary = True
        membership.save(update_fields=["is_primary"])


def _set_other_congregations(
    person: Person, wanted: Iterable[Congregation], *, within: Iterable[Congregation]
) -> None:
    """Make `person`'s non-primary memberships among `within` (the congregations the editor may
    see) exactly `wanted`; memberships elsewhere are not the editor's to change."""
    within_ids = {c.pk for c in within}
    wanted_ids = {c.pk for c in wanted} & within_ids
    current = {m.congregation_id: m for m in person.memberships.all()}
    for congregation_id in wanted_ids - set(current):
        Membership.objects.create(person=person, congregation_id=congregation_id, is_primary=False)
    for congregation_id, membership in current.items():
        stays = congregation_id not in within_ids or congregation_id in wanted_ids
        if not stays and not membership.is_primary:
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
    editable_congregations: Iterable[Congregation] = (),
    **fields,
) -> Person:
    """Change contact details, consent and (for roles that may) sensitive fields. The ladder
    level changes only through person_move_on_ladder, so it always has a history row."""
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
        _set_primary_congregation(person, congregation)
    if other_congregations is not None:
        _set_other_congregations(person, other_congregations, within=list(editable_congregations))
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
    """Move someone up (or down) the leadership ladder, keeping who, when and why."""
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
    person.memberships.filter(is_primary=True).exclude(role=MembershipRole.CLERGY).update(
        role=MembershipRole.CORE_TEAM if core else MembershipRole.MEMBER
    )
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
    """Record that `by` was shown someone's ethnicity or private notes, and on which page
    ("page": the person's page; "edit": the edit form, which shows them to change them)."""
    if person.ethnicity or person.notes:
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
    for name in [*FILLABLE, "ethnicity"]:
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
    text: str,
    by: User | None,
    congregations: Iterable[Congregation],
    default_congregation: Congregation | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    filename: str = "",
) -> ImportPlan:
    """Import people from CSV text, all or nothing: any invalid row and nothing is written.
    Returns the plan (counts and row errors). Re-running the same file changes nothing."""
    options: dict[str, Any] = {
        "congregations": congregations,
        "default_congregation": default_congregation,
        "progress": progress,
    }
    if dry_run:  # outside a transaction, so a worker's progress is visible as it goes
        return plan_import(text, **options)
    with transaction.atomic():
        plan = plan_import(text, **options)
        if not plan.is_valid or not plan.has_changes:
            return plan
        _write_plan(plan)
        audit_log(by=by, action=AuditEvent.Action.IMPORT, filename=filename[:200], **plan.counts)
    return plan


def _write_plan(plan: ImportPlan) -> None:
    """Bulk inserts and updates: a few queries per 2,000 rows, not one per row."""
    now = timezone.now()
    tags = {tag.name.lower(): tag.pk for tag in tags_get_or_create(names=plan.tag_names.values())}
    new = [e for e in plan.entities if e.person_id is None]
    defaults = {
        "level": Level.MEMBER,
        "email_ok": True,
        "sms_ok": False,
        "do_not_contact": False,
        "ethnicity": "",
        "notes": "",
        "user_id": None,
        "archived_at": None,
        "created_at": now,
        "updated_at": now,
    }
    ids = insert_rows(
        Person,
        [
            {
                "first_name": e.values["first_name"],
                "language": e.values["language"],
                **{name: e.values.get(name, "") for name in FILLABLE},
                **defaults,
            }
            for e in new
        ],
    )
    for entity, pk in zip(new, ids, strict=True):
        entity.person_id = pk
        entity.values["_has_primary"] = False

    # Update only the columns that changed, grouped by which ones: narrower, faster UPDATEs.
    groups: dict[tuple, list[Person]] = {}
    for e in plan.entities:
        if e.changed:
            fields = tuple(sorted(e.changed))
            values = {name: e.values[name] for name in fields}
            groups.setdefault(fields, []).append(Person(pk=e.person_id, updated_at=now, **values))
    for fields, updates in groups.items():
        Person.objects.bulk_update(updates, [*fields, "updated_at"], batch_size=BATCH)

    memberships, links = [], []
    for entity in plan.entities:
        for congregation_id in entity.congregation_ids:
            primary = not entity.values["_has_primary"]
            entity.values["_has_primary"] = True
            memberships.append(
                {
                    "person_id": entity.person_id,
                    "congregation_id": congregation_id,
                    "is_primary": primary,
                    "role": MembershipRole.MEMBER,
                    "created_at": now,
                }
            )
        links += [
            Person.tags.through(person_id=entity.person_id, tag_id=tags[name])
            for name in entity.tags
            if name in tags
        ]
    insert_rows(Membership, memberships)
    Person.tags.through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)


# --- Browser imports (ImportJob) -------------------------------------------------------------

ASYNC_ROWS = 1000  # bigger files are checked and written by a Celery worker
# A worker holds a step (checking or importing) for at most the task's hard time limit.
LEASE = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# A queued step that no worker has started after this long was lost (the broker was down).
QUEUE_GRACE = datetime.timedelta(minutes=3)


def _job_congregations(job: ImportJob):
    return congregations_visible_to(job.created_by)


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
    """Keep the uploaded file and check it: now if it is small, on a worker if it is large."""
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
    """The preview: the same plan the import will write, with counts and row errors."""
    if not _take_lease(job, ImportJob.Status.ANALYSING):
        return job
    with _failing_job(job):
        plan = people_import(
            text=job.content,
            by=job.created_by,
            congregations=_job_congregations(job),
            default_congregation=job.congregation,
            dry_run=True,
            progress=_job_progress(job),
        )
    job.refresh_from_db(fields=["status"])
    job.counts = {**plan.counts, "ignored_columns": plan.ignored_columns}
    if plan.is_valid:
        job.counts["sample"] = plan.sample()  # names: dropped again once imported or purged
    job.errors = [[error.line, error.message] for error in plan.errors[:500]]
    job.total_rows = job.processed_rows = plan.total_rows
    job.status = ImportJob.Status.PREVIEW if plan.is_valid else ImportJob.Status.INVALID
    fields = ["counts", "errors", "total_rows", "processed_rows", "status"]
    if not plan.is_valid:
        job.content = ""  # a file with errors is never imported: do not keep its people
        fields.append("content")
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
    return (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(content="")
        .exclude(status=ImportJob.Status.IMPORTING)
        .update(content="", counts={}, status=ImportJob.Status.FAILED)
    )


def import_job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """Write a previewed import (re-checked against the database as it is now); the audit row
    names `by`, who confirmed it."""
    from .tasks import import_job_run_task  # reason: the task calls this module back

    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
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
    job.refresh_from_db()
    with _failing_job(job):
        plan = people_import(
            text=job.content,
            by=job.confirmed_by or job.created_by,
            congregations=_job_congregations(job),
            default_congregation=job.congregation,
            filename=job.filename,
        )
    job.counts = {**plan.counts, "ignored_columns": plan.ignored_columns}
    job.errors = [[error.line, error.message] for error in plan.errors[:500]]
    job.processed_rows = plan.total_rows
    job.finished_at = timezone.now()
    if plan.is_valid:
        job.status = ImportJob.Status.DONE
        job.content = ""  # the people are in the database now; do not keep a second copy
    else:
        job.status = ImportJob.Status.INVALID
    job.save()
    return job
