"""Webhooks out: when a person, an attendance or a commitment changes, every active endpoint
that asked for that topic receives a signed JSON POST.

- Recording (`change_record`) happens inside the change's own transaction: a change that rolls
  back announces nothing, one that commits is never lost. It writes one WebhookChange (its id is
  the change id) and one WebhookDelivery per endpoint, unique on (endpoint, change).
- Delivering (`delivery_attempt`) first takes a lease on the row with a conditional UPDATE, so
  two workers (a retry and the sweep, say) never send the same delivery at once; a delivered row
  is never sent again. Failures back off (30 s, 2 min, 8 min, 32 min, ~2 h) and the row is
  marked failed after MAX_ATTEMPTS; the admin shows the delivery log.
- Signing: `X-Conect-Signature: sha256=<hex>`, the HMAC-SHA256 of "<timestamp>.<body>" with the
  endpoint's secret, and `X-Conect-Timestamp`; `X-Conect-Change-Id` lets a receiver drop a repeat
  (a timeout after it had already accepted the request is the one way one can happen).
"""

import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from actions.models import Action, Attendance
from campaigns.models import Commitment
from conect.config import conect_setting
from members.models import Person
from members.selectors import with_primary_congregation

from . import representations as rep
from .models import DeliveryStatus, Topic, WebhookChange, WebhookDelivery
from .selectors import endpoints_for, identity_rows
from .services import identities_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
FIRST_BACKOFF = 30  # seconds; ×4 each attempt
LEASE = datetime.timedelta(minutes=2)
TIMEOUT = 10  # seconds for the receiver to answer
KEEP_FOR = datetime.timedelta(days=30)  # changes and their delivery log, then purged


def backoff(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones."""
    return FIRST_BACKOFF * 4 ** max(0, attempts - 1)


# --- What a change says ------------------------------------------------------------------------


def _links() -> rep.Links:
    return rep.Links(f"{conect_setting('SITE_URL').rstrip('/')}/api/v2")


def _person_payload(person: Person) -> dict[str, Any]:
    person = with_primary_congregation(Person.objects.filter(pk=person.pk)).get()
    return rep.person(person, identities_for(Person, [person.pk])[person.pk], _links())


def _attendance_payload(row: Attendance) -> dict[str, Any]:
    own = identities_for(Attendance, [row.pk])[row.pk]
    event = identities_for(Action, [row.action_id])[row.action_id]
    person = identities_for(Person, [row.person_id])[row.person_id]
    return rep.attendance(row, own, event, person, _links())


def _commitment_payload(row: Commitment) -> dict[str, Any]:
    identity = identities_for(Commitment, [row.pk])[row.pk]
    links = _links()
    body: dict[str, Any] = {
        "identifiers": identity.identifiers,
        "created_date": rep.iso(row.created_at),
        "modified_date": rep.iso(row.status_changed_at or row.created_at),
        "ask": row.ask,
        "answer": row.answer,
        "status": row.status,
        "due_date": row.due_on.isoformat() if row.due_on else None,
        "evidence": row.evidence,
        "target": {
            "name": row.target.name,
            "office": row.target.office,
            "jurisdiction": row.target.jurisdiction,
        },
        "campaign": row.campaign.name if row.campaign else None,
        "_links": {},
    }
    if row.action_id:
        event = identities_for(Action, [row.action_id])[row.action_id]
        body["_links"]["osdi:event"] = links.href("events", event.uuid)
    return body


PAYLOADS: dict[str, Callable[[Any], dict[str, Any]]] = {
    Topic.PERSON: _person_payload,
    Topic.ATTENDANCE: _attendance_payload,
    Topic.COMMITMENT: _commitment_payload,
}
MODELS: dict[type[Model], str] = {
    Person: Topic.PERSON,
    Attendance: Topic.ATTENDANCE,
    Commitment: Topic.COMMITMENT,
}


# --- Recording ---------------------------------------------------------------------------------


def change_record(*, obj: Model, deleted: bool = False) -> WebhookChange | None:
    """Announce that `obj` (a Person, Attendance or Commitment) changed or was deleted, to the
    endpoints that want its topic. Nothing is written when no endpoint wants it."""
    topic = MODELS[type(obj)]
    endpoints = endpoints_for(topic)
    if not endpoints:
        return None
    if deleted:
        # Only an object the API has named can be announced gone: a receiver knows no other.
        identity = identity_rows(type(obj), [obj.pk]).get(obj.pk)
        if identity is None:
            return None
        payload: dict[str, Any] = {"identifiers": identity.identifiers}
    else:
        identity = identities_for(type(obj), [obj.pk])[obj.pk]
        payload = PAYLOADS[topic](obj)
    with transaction.atomic():
        change = WebhookChange.objects.create(
            topic=topic,
            kind=WebhookChange.Kind.DELETED if deleted else WebhookChange.Kind.CHANGED,
            object_uuid=identity.uuid,
            payload=payload,
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, change=change) for endpoint in endpoints]
        )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: dispatch(ids))
    return change


def dispatch(delivery_ids: list[int]) -> None:
    """Queue a delivery task per row; a broker outage is logged, and the sweep sends later."""
    from .tasks import webhook_deliver_task  # reason: the task calls this module back

    for pk in delivery_ids:
        try:
            webhook_deliver_task.delay(delivery_id=pk)
        except Exception as error:  # the broker is down: the row stays pending for the sweep
            log.warning("could not queue webhook delivery %s (%s)", pk, error)


# --- Delivering --------------------------------------------------------------------------------


def envelope(change: WebhookChange) -> bytes:
    body = {
        "id": str(change.id),
        "topic": change.topic,
        "kind": change.kind,
        "occurred_at": rep.iso(change.occurred_at),
        "object": change.payload,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass
class Outcome:
    delivered: bool = False
    retry_in: int | None = None  # seconds, when another attempt is due


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    due = Q(next_attempt_at__lte=now) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    claimed = WebhookDelivery.objects.filter(due, pk=delivery_id, status=DeliveryStatus.PENDING)
    return bool(claimed.update(lease_until=now + LEASE))


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def delivery_attempt(*, delivery_id: int) -> Outcome:
    """Try to deliver one row (if it is pending, due and not leased by another worker)."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return Outcome()
    delivery = WebhookDelivery.objects.select_related("endpoint", "change").get(pk=delivery_id)
    attempts = delivery.attempts + 1
    body = envelope(delivery.change)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CONECT-Organizer-Webhooks/1",
        "X-Conect-Change-Id": str(delivery.change_id),
        "X-Conect-Topic": f"{delivery.change.topic}.{delivery.change.kind}",
        "X-Conect-Timestamp": timestamp,
        "X-Conect-Signature": signature(delivery.endpoint.secret, timestamp, body),
        "X-Conect-Attempt": str(attempts),
    }
    code, error = None, ""
    try:
        code = _post(delivery.endpoint.url, body, headers)
    except Exception as exc:  # a refused connection, a timeout, a bad certificate …
        error = f"{type(exc).__name__}: {exc}"[:1000]
    changes: dict[str, Any] = {
        "attempts": attempts,
        "last_status_code": code,
        "last_error": error,
        "lease_until": None,
    }
    if code is not None and 200 <= code < 300:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now())
        outcome = Outcome(delivered=True)
    elif attempts >= MAX_ATTEMPTS:
        changes.update(status=DeliveryStatus.FAILED)
        outcome = Outcome()
    else:
        wait = backoff(attempts)
        changes.update(next_attempt_at=timezone.now() + datetime.timedelta(seconds=wait))
        outcome = Outcome(retry_in=wait)
    WebhookDelivery.objects.filter(pk=delivery_id).update(**changes)
    return outcome


def deliveries_due(now: datetime.datetime | None = None) -> list[int]:
    """Pending rows whose time has come and whose lease (if any) ran out: for the sweep."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    due = due.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:1000])


def deliveries_retry(*, ids: list[int]) -> list[int]:
    """Give failed deliveries (of `ids`) a fresh set of attempts, now."""
    failed = WebhookDelivery.objects.filter(pk__in=ids, status=DeliveryStatus.FAILED)
    again = list(failed.values_list("pk", flat=True))
    failed.update(
        status=DeliveryStatus.PENDING, attempts=0, lease_until=None, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: dispatch(again))
    return again


def changes_purge(*, older_than: datetime.timedelta = KEEP_FOR) -> int:
    """Forget old changes (their payloads hold people's details) and their delivery log."""
    cutoff = timezone.now() - older_than
    deleted, _by_model = WebhookChange.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted
