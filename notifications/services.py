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
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass
class Due:
    """A message a reminder rule says is due; `notifications_claim` turns it into a row."""

    kind: str
    subject_key: str
    for_date: datetime.date
    recipient_user: User | None = None
    recipient_person: Person | None = None
    context: dict = field(default_factory=dict)
    url: str = ""

    @property
    def recipient_key(self) -> str:
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


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """(title, body) of a message in the recipient's language: the template's first line is the
    title, the rest the body."""
    with translation.override(language if language in ("en", "es") else "en"):
        text = render_to_string(f"notifications/email/{kind}.txt", context).strip()
    title, _, body = text.partition("\n")
    return title.strip()[:200], body.strip()


def notifications_claim(dues: Iterable[Due]) -> int:
    """Insert a row for every due message not already claimed; returns how many are new.

    do_not_contact people get nothing at all. A login whose email preference for the kind is off,
    or a person without a usable email, gets the message in the app only."""
    created = 0
    batch: list[Due] = []
    for due in dues:
        batch.append(due)
        if len(batch) >= BATCH:
            created += _claim_batch(batch)
            batch = []
    if batch:
        created += _claim_batch(batch)
    return created


def _claim_batch(batch: list[Due]) -> int:
    wanted = {due.key: due for due in batch}
    existing = set(
        Notification.objects.filter(
            subject_key__in={k[1] for k in wanted}, kind__in={k[0] for k in wanted}
        ).values_list("kind", "subject_key", "recipient_key", "for_date")
    )
    user_ids = {due.recipient_user.pk for due in wanted.values() if due.recipient_user}
    email_off = set(
        Preference.objects.filter(user_id__in=user_ids, email=False).values_list("user_id", "kind")
    )
    rows = []
    for key, due in wanted.items():
        if key in existing:
            continue
        person = _person_of(due)
        if person is not None and person.do_not_contact:
            continue
        user = due.recipient_user
        if user is not None and not user.is_active:
            continue
        language = person.language if person is not None else "en"
        if user is not None:
            email = user.email
        else:
            email = person.email if person is not None and person.email_ok else ""
        wants_email = bool(email) and (user is None or (user.pk, due.kind) not in email_off)
        if user is None and not wants_email:
            continue  # a person with no login and no usable email cannot be reached
        title, body = render(due.kind, language, due.context)
        rows.append(
            Notification(
                kind=due.kind,
                subject_key=due.subject_key,
                recipient_key=due.recipient_key,
                recipient_user=user,
                recipient_person=due.recipient_person,
                for_date=due.for_date,
                email=email if wants_email else "",
                language=language,
                title=title,
                body=body,
                url=due.url,
                status=Status.PENDING if wants_email else Status.IN_APP,
            )
        )
    return _insert_claims(rows)


_CLAIM_COLUMNS = (
    "kind",
    "subject_key",
    "recipient_key",
    "recipient_user_id",
    "recipient_person_id",
    "for_date",
    "email",
    "language",
    "title",
    "body",
    "url",
    "status",
)


def _insert_claims(rows: list[Notification]) -> int:
    """One `INSERT … ON CONFLICT DO NOTHING RETURNING id` for the batch: a row another sweep
    claimed in the meantime is skipped by the unique key, and the count is of the rows this
    sweep really inserted. A plain multi-row INSERT built here, because the ORM's bulk_create
    spent more time compiling 100,000 rows than the database spent storing them."""
    if not rows:
        return 0
    now = timezone.now()
    fixed = {"attempts": 0, "last_error": "", "lease_token": "", "created_at": now}
    columns = [*_CLAIM_COLUMNS, *fixed]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    for row in rows:
        params += [getattr(row, column) for column in _CLAIM_COLUMNS] + list(fixed.values())
    table = Notification._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608 (column names are this module's constants)
        "ON CONFLICT DO NOTHING RETURNING id"
    )
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


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
