"""Writes for notifications: claim (insert the unique row) first, deliver second.

Exactly once: `notifications_claim` inserts rows with ON CONFLICT DO NOTHING on the unique key
(kind, subject, recipient, for_date), so a second sweep, a retried task or a second beat creates
nothing new. `notifications_deliver` takes a lease on each pending row with a conditional UPDATE
before it sends, so two workers never send the same row; a worker killed mid-send leaves a lease
that runs out and the row is retried. Failures back off (1, 4, 16, 64 … minutes) and the row is
marked failed after CONECT["NOTIFY_MAX_ATTEMPTS"] attempts, where staff see it in the admin.
"""

import contextlib
import datetime
import functools
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from conect.config import conect_setting, site_url
from conect.fragments import bump, inbox_topic
from members.models import Person, User

from .models import Kind, Notification, Preference, Status

log = logging.getLogger(__name__)
# A delivery task stops sending at its soft time limit and is killed at its hard one; a row's
# lease outlives the hard limit, so no other worker takes a row while this one may still be
# sending it (notifications.tasks uses these limits).
DELIVERY_SOFT_LIMIT = 600
DELIVERY_HARD_LIMIT = 660
LEASE = datetime.timedelta(seconds=DELIVERY_HARD_LIMIT + 240)
BATCH = 1000
# Rows per claiming INSERT: on PostgreSQL one statement takes the batch as one array per column.
CLAIM_BATCH = 5000


class Recipient(NamedTuple):
    """What the claim needs to know of a recipient, read by a rule as plain values (a rule with
    100,000 rows does not build a login and a person for each)."""

    user_id: int | None
    person_id: int | None  # the row's recipient_person (a person without a login)
    email: str  # the address a message may go to ("" when there is none to use)
    language: str
    do_not_contact: bool = False
    active: bool = True


@dataclass
class Due:
    """A message a reminder rule says is due; `notifications_claim` turns it into a row.

    A rule names the recipient either as model instances (`recipient_user`/`recipient_person`)
    or, for large sweeps, as a `Recipient`. The message is rendered from `context`; values given
    in `fill` (names, notes: text shown as it is) are filled into a rendering made once per
    kind, language and context (`render_filled`)."""

    kind: str
    subject_key: str
    for_date: datetime.date
    recipient_user: User | None = None
    recipient_person: Person | None = None
    context: dict = field(default_factory=dict)
    url: str = ""
    recipient: Recipient | None = None
    fill: dict[str, str] | None = None

    @property
    def recipient_key(self) -> str:
        if self.recipient is not None:
            if self.recipient.user_id is not None:
                return f"user:{self.recipient.user_id}"
            return f"person:{self.recipient.person_id}"
        if self.recipient_user is not None:
            return f"user:{self.recipient_user.pk}"
        assert self.recipient_person is not None, "a Due needs a recipient"
        return f"person:{self.recipient_person.pk}"

    @property
    def key(self) -> tuple:
        return (self.kind, self.subject_key, self.recipient_key, self.for_date)


def _person_of(due: Due) -> Person | None:
    if due.recipient_person is not None:
        return due.recipient_person
    return getattr(due.recipient_user, "person", None) if due.recipient_user else None


def _recipient_of(due: Due) -> Recipient:
    if due.recipient is not None:
        return due.recipient
    person, user = _person_of(due), due.recipient_user
    if user is not None:
        email = user.email
    else:
        email = person.email if person is not None and person.email_ok else ""
    return Recipient(
        user_id=user.pk if user is not None else None,
        person_id=due.recipient_person.pk if due.recipient_person is not None else None,
        email=email,
        language=person.language if person is not None else "en",
        do_not_contact=person is not None and person.do_not_contact,
        active=user is None or user.is_active,
    )


def _language(language: str) -> str:
    return language if language in ("en", "es") else "en"


def _title_and_body(text: str) -> tuple[str, str]:
    title, _, body = text.strip().partition("\n")
    return title.strip()[:200], body.strip()


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """(title, body) of a message in the recipient's language: the template's first line is the
    title, the rest the body."""
    with translation.override(_language(language)):
        text = render_to_string(f"notifications/email/{kind}.txt", context)
    return _title_and_body(text)


def render_filled(kind: str, language: str, context: dict, fill: dict[str, str]) -> tuple[str, str]:
    """render() of `context` plus `fill`, for sweeps of many rows: the template is rendered once
    per kind, language and (hashable) `context`, with a mark where each `fill` value goes, and
    each row's values replace the marks in one pass (a value that looks like a mark or like
    template syntax stays text). The same text as render(), for values the template shows as
    they are; one it filters, escapes or only tests loses its mark, and that raises."""
    shown = tuple(sorted(name for name, value in fill.items() if value))
    # An empty value can switch an {% if %}: it is part of the rendering, not filled in.
    fixed = {**context, **{name: "" for name, value in fill.items() if not value}}
    skeleton, marks = _skeleton(kind, _language(language), tuple(sorted(fixed.items())), shown)
    if marks is not None:
        skeleton = marks.sub(lambda match: fill[match.group(1)], skeleton)
    return _title_and_body(skeleton)


@functools.lru_cache(maxsize=512)
def _skeleton(
    kind: str, language: str, fixed: tuple, shown: tuple
) -> tuple[str, re.Pattern | None]:
    # The mark holds "&": a template that escaped the value would not show the mark unchanged.
    marks = {name: f"\x00{name}&\x01" for name in shown}
    with translation.override(language):
        text = render_to_string(f"notifications/email/{kind}.txt", {**dict(fixed), **marks})
    for name, mark in marks.items():
        if mark not in text:
            raise ValueError(f"notifications/email/{kind}.txt does not show {name} as it is")
    if not marks:
        return text, None
    names = "|".join(re.escape(name) for name in shown)
    return text, re.compile(f"\x00({names})&\x01")


def notifications_claim(dues: Iterable[Due], *, check_claimed: bool = True) -> int:
    """Insert a row for every due message not already claimed; returns how many are new.

    do_not_contact people get nothing at all. A login whose email preference for the kind is off,
    or a person without a usable email, gets the message in the app only. `check_claimed=False`
    is for a rule whose own query left out what was claimed: its dues are not looked up again
    before rendering (the unique key still skips a row a concurrent sweep claimed meanwhile)."""
    created = 0
    batch: list[Due] = []
    for due in dues:
        batch.append(due)
        if len(batch) >= CLAIM_BATCH:
            created += _claim_batch(batch, check_claimed)
            batch = []
    if batch:
        created += _claim_batch(batch, check_claimed)
    return created


def _already_claimed(wanted: dict[tuple, Due]) -> set[tuple]:
    """The keys among `wanted` that have a row: not rendered again (the INSERT would skip them
    anyway; this spares the work for rules that cannot exclude them in their own query)."""
    return set(
        Notification.objects.filter(
            subject_key__in={k[1] for k in wanted}, kind__in={k[0] for k in wanted}
        ).values_list("kind", "subject_key", "recipient_key", "for_date")
    )


def _claim_batch(batch: list[Due], check_claimed: bool) -> int:
    wanted = {due.key: due for due in batch}
    existing = _already_claimed(wanted) if check_claimed else set()
    recipients = {key: _recipient_of(due) for key, due in wanted.items() if key not in existing}
    user_ids = {to.user_id for to in recipients.values() if to.user_id is not None}
    email_off = set(
        Preference.objects.filter(user_id__in=user_ids, email=False).values_list("user_id", "kind")
    )
    rows = []
    for key, to in recipients.items():
        due = wanted[key]
        if to.do_not_contact or not to.active:
            continue
        wants_email = bool(to.email) and (
            to.user_id is None or (to.user_id, due.kind) not in email_off
        )
        if to.user_id is None and not wants_email:
            continue  # a person with no login and no usable email cannot be reached
        if due.fill is None:
            title, body = render(due.kind, to.language, due.context)
        else:
            title, body = render_filled(due.kind, to.language, due.context, due.fill)
        rows.append(
            (
                due.kind,
                due.subject_key,
                due.recipient_key,
                to.user_id,
                to.person_id,
                due.for_date,
                to.email if wants_email else "",
                to.language,
                title,
                body,
                due.url,
                Status.PENDING.value if wants_email else Status.IN_APP.value,
            )
        )
    inserted = _insert_claims(rows)
    # The unread badge of each login that got a row (bulk: no signal; conect.fragments).
    bump(*{inbox_topic(row[3]) for row in rows if row[3] is not None})
    return inserted


# The claimed row's columns, in the order of the tuples _claim_batch builds, with their types
# in PostgreSQL's temporary table.
_CLAIM_COLUMNS = (
    ("kind", "varchar"),
    ("subject_key", "varchar"),
    ("recipient_key", "varchar"),
    ("recipient_user_id", "bigint"),
    ("recipient_person_id", "bigint"),
    ("for_date", "date"),
    ("email", "varchar"),
    ("language", "varchar"),
    ("title", "varchar"),
    ("body", "text"),
    ("url", "varchar"),
    ("status", "varchar"),
)
_CLAIM_FIXED = ("attempts", "last_error", "lease_token", "created_at")


def _insert_claims(rows: list[tuple]) -> int:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING id`: a row another sweep claimed in the
    meantime is skipped by the unique key, and the count is of the rows this sweep really
    inserted. On PostgreSQL the batch is COPYed into a temporary table first and inserted from
    there in one statement (no parameter per value to quote); elsewhere it goes as a multi-row
    VALUES of 1,000 rows at most (SQLite's limit on parameters). Built here, because the ORM's
    bulk_create spent more time compiling 100,000 rows than the database spent storing them."""
    if not rows:
        return 0
    table = Notification._meta.db_table
    columns = ", ".join([*(name for name, _ in _CLAIM_COLUMNS), *_CLAIM_FIXED])
    fixed: list[Any] = [0, "", "", timezone.now()]
    inserted = 0
    with db_connection.cursor() as cursor:
        if db_connection.vendor == "postgresql":
            # One transaction: the temporary table is this session's, and a pooler in
            # transaction mode keeps a transaction on one server connection.
            with transaction.atomic():
                _copy_claims(cursor, rows)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT claim.*, %s, %s, %s, %s "  # noqa: S608 (names are this module's constants)
                    f"FROM {_CLAIMS_TABLE} AS claim ON CONFLICT DO NOTHING RETURNING id",
                    fixed,
                )
                return len(cursor.fetchall())
        one = "(" + ", ".join(["%s"] * (len(_CLAIM_COLUMNS) + len(fixed))) + ")"
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            params = [value for row in chunk for value in (*row, *fixed)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "  # noqa: S608 (names are this module's constants)
                "ON CONFLICT DO NOTHING RETURNING id",
                params,
            )
            inserted += len(cursor.fetchall())
    return inserted


_CLAIMS_TABLE = "notification_claims"


def _copy_claims(cursor, rows: list[tuple]) -> None:
    """The batch into a temporary table that goes at commit; dropped first as well, since a
    claim inside a longer transaction (a test's) must not meet the previous batch's."""
    definition = ", ".join(f"{name} {kind}" for name, kind in _CLAIM_COLUMNS)
    cursor.execute(f"DROP TABLE IF EXISTS {_CLAIMS_TABLE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {_CLAIMS_TABLE} ({definition}) ON COMMIT DROP")
    with cursor.cursor.copy(f"COPY {_CLAIMS_TABLE} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# A sweep that claimed this many rows refreshes the table's planner statistics at once: the next
# sweep's "already claimed?" anti-join was planned for the table before the claim (550 s
# instead of 2.6 s at 1,000,000 people, bench/README.md) until autovacuum came round.
ANALYZE_AFTER = 10_000


def notifications_analyze() -> None:
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Notification._meta.db_table}")


def deliverable(now: datetime.datetime):
    """Rows that may be sent now: pending and due, or leased by a worker that never finished."""
    return Notification.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__isnull=True)
        | Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, lease_until__lt=now)
    )


def notifications_deliver(*, ids: Iterable[int] | None = None, now=None) -> dict[str, int]:
    """Send the deliverable rows (all, or those among `ids`). Returns counts by outcome."""
    now = now or timezone.now()
    queue = deliverable(now)
    if ids is not None:
        queue = queue.filter(pk__in=list(ids))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    pks = list(queue.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        _deliver_chunk(pks[start : start + BATCH], now, counts)
    return counts


def _deliver_chunk(pks: list[int], now, counts: dict) -> None:
    token = uuid.uuid4().hex
    # The lease: only rows still deliverable are taken, so a twin worker takes none of them.
    deliverable(now).filter(pk__in=pks).update(
        status=Status.SENDING,
        lease_until=now + LEASE,
        lease_token=token,
        attempts=F("attempts") + 1,
    )
    mine = list(
        Notification.objects.filter(lease_token=token, status=Status.SENDING).order_by("pk")
    )
    if not mine:
        return
    connection = get_connection(fail_silently=False)
    done = 0
    try:
        for notification in mine:
            _send_one(connection, notification, counts, now)
            done += 1
    except SoftTimeLimitExceeded:
        # Out of time: stop. The row being sent keeps its lease (it may have left; it is retried
        # once the lease runs out, with the same Message-ID); the rows not tried go back now.
        _release(mine[done + 1 :])
        raise
    finally:
        # Closing a broken SMTP connection must not hide what went wrong while sending.
        with contextlib.suppress(Exception):
            connection.close()


def _send_one(connection, notification: Notification, counts: dict, now) -> None:
    message = EmailMessage(
        subject=notification.title,
        body=_email_body(notification),
        to=[notification.email],
        connection=connection,
        # The same Message-ID on a retry lets mail systems drop a duplicate of a message whose
        # first send succeeded just before its worker died.
        headers={"Message-ID": f"<notification-{notification.pk}@conect-organizer>"},
    )
    try:
        message.send()
    except SoftTimeLimitExceeded:
        raise  # the task ran out of time: not a failed delivery, and no more sending
    except Exception as error:
        _record_failure(notification, error, counts, now)
        return
    Notification.objects.filter(pk=notification.pk, lease_token=notification.lease_token).update(
        status=Status.SENT, sent_at=timezone.now(), lease_token="", last_error=""
    )
    counts["sent"] += 1


def _release(notifications: list[Notification]) -> None:
    """Hand back leased rows that were never tried: pending again, their attempt not counted."""
    for notification in notifications:
        Notification.objects.filter(
            pk=notification.pk, lease_token=notification.lease_token
        ).update(
            status=Status.PENDING, lease_token="", lease_until=None, attempts=F("attempts") - 1
        )


def _record_failure(notification: Notification, error: Exception, counts: dict, now) -> None:
    log.warning(
        "notification %s failed (attempt %s): %s", notification.pk, notification.attempts, error
    )
    if notification.attempts >= conect_setting("NOTIFY_MAX_ATTEMPTS"):
        status, next_at = Status.FAILED, now
        counts["failed"] += 1
    else:
        delay = conect_setting("NOTIFY_BACKOFF_MINUTES") * 4 ** (notification.attempts - 1)
        status, next_at = Status.PENDING, now + datetime.timedelta(minutes=delay)
        counts["retry"] += 1
    Notification.objects.filter(pk=notification.pk, lease_token=notification.lease_token).update(
        status=status,
        next_attempt_at=next_at,
        lease_token="",
        lease_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def _email_body(notification: Notification) -> str:
    link = ""
    if notification.url:
        link = f"\n\n{site_url(notification.url)}"
    return f"{notification.body}{link}\n"


@transaction.atomic
def notification_mark_read(*, by: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of `by`'s own unread notifications read; returns how many."""
    unread = Notification.objects.filter(recipient_user=by, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    marked = unread.update(read_at=timezone.now())
    bump(inbox_topic(by.pk))  # the badge on every page (notifications.selectors.unread_count)
    return marked


@transaction.atomic
def preferences_save(*, by: User, email_by_kind: dict[str, bool]) -> None:
    """Store which kinds `by` wants by email, for themself (every kind always shows in the
    app)."""
    for kind, email in email_by_kind.items():
        if kind in Kind.values:
            Preference.objects.update_or_create(user=by, kind=kind, defaults={"email": email})
