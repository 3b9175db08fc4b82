"""Webhooks out: signed JSON to staff-configured URLs when a person, an attendance or a
commitment changes; exactly once per change id; back-off and a delivery log."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import IntegrityError, transaction

from actions.services import attendance_check_in, attendance_rsvp
from api import webhooks
from api.models import DeliveryStatus, WebhookChange, WebhookDelivery, WebhookEndpoint
from api.tasks import webhooks_sweep_task
from campaigns.services import commitment_set_status
from members.services import person_update
from tests.campaigns.factories import CommitmentFactory, DoorOpenActionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records what it is sent and answers `status`."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def endpoint(receiver, admin_user):
    return WebhookEndpoint.objects.create(url=receiver.url, created_by=admin_user)


def deliver_all():
    for pk in WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True):
        webhooks.delivery_attempt(delivery_id=pk)


def test_a_person_change_is_signed_and_delivered_once(endpoint, receiver, congregation, organizer):
    person = PersonFactory(congregation=congregation, first_name="Ana")
    person_update(person=person, by=organizer, town="Hartford")
    assert WebhookChange.objects.count() == 2  # created, then changed
    deliver_all()
    deliver_all()  # a retried task or the sweep: nothing is sent twice
    assert len(receiver.received) == 2
    headers, body = receiver.received[1]
    expected = hmac.new(
        endpoint.secret.encode(),
        headers["X-Conect-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Conect-Signature"] == f"sha256={expected}"
    envelope = json.loads(body)
    assert envelope["id"] == headers["X-Conect-Change-Id"]
    assert (envelope["topic"], envelope["kind"]) == ("person", "changed")
    assert envelope["object"]["given_name"] == "Ana"
    assert envelope["object"]["postal_addresses"][0]["locality"] == "Hartford"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_one_delivery_per_endpoint_and_change(endpoint, congregation):
    PersonFactory(congregation=congregation)
    change = WebhookChange.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(endpoint=endpoint, change=change)


def test_failures_back_off_then_fail(endpoint, receiver, congregation):
    receiver.status = 500
    PersonFactory(congregation=congregation)
    delivery = WebhookDelivery.objects.get()
    first = webhooks.delivery_attempt(delivery_id=delivery.pk)
    assert first.retry_in == 30
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert not webhooks.delivery_attempt(delivery_id=delivery.pk).retry_in  # not due yet
    for attempt in range(2, webhooks.MAX_ATTEMPTS + 1):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
        outcome = webhooks.delivery_attempt(delivery_id=delivery.pk)
        assert outcome.retry_in == (webhooks.backoff(attempt) if attempt < 6 else None)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, webhooks.MAX_ATTEMPTS)
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    assert webhooks.deliveries_retry(ids=[delivery.pk]) == [delivery.pk]


def test_an_unreachable_endpoint_is_recorded(admin_user, congregation):
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/nothing", created_by=admin_user)
    PersonFactory(congregation=congregation)
    deliver_all()
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error and delivery.last_status_code is None


def test_attendance_and_commitments_are_announced(endpoint, congregation, organizer):
    action = DoorOpenActionFactory()  # the door is open: check-in is allowed
    person = PersonFactory(congregation=congregation)
    WebhookChange.objects.all().delete()
    attendance_rsvp(action=action, person=person, rsvp="yes")
    attendance_check_in(action=action, person=person, by=organizer)  # bulk writes: its signal
    commitment = CommitmentFactory(action=action)
    commitment_set_status(commitment=commitment, status="kept", evidence="the vote", by=organizer)
    topics = list(WebhookChange.objects.order_by("occurred_at").values_list("topic", flat=True))
    assert topics == ["attendance", "attendance", "commitment", "commitment"]
    checked_in = WebhookChange.objects.filter(topic="attendance").order_by("occurred_at").last()
    assert checked_in.payload["attended"] is True
    kept = WebhookChange.objects.filter(topic="commitment").order_by("occurred_at").last()
    assert kept.payload["status"] == "kept" and "osdi:event" in kept.payload["_links"]


def test_nothing_is_recorded_without_endpoints_or_for_other_topics(admin_user, congregation):
    PersonFactory(congregation=congregation)
    assert not WebhookChange.objects.exists()
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/", sends_people=False)
    PersonFactory(congregation=congregation)
    assert not WebhookChange.objects.exists()


def test_do_not_contact_details_stay_out_of_payloads(endpoint, congregation):
    PersonFactory(congregation=congregation, email="quiet@example.org", do_not_contact=True)
    payload = json.dumps(WebhookChange.objects.get().payload)
    assert "quiet@example.org" not in payload


def test_a_deleted_person_is_announced_by_identifier_only(endpoint, congregation, admin_user):
    from members.services import person_delete

    person = PersonFactory(congregation=congregation)
    known = WebhookChange.objects.get().object_uuid
    person_delete(person=person, by=admin_user, reason="privacy request")
    gone = WebhookChange.objects.get(kind="deleted")
    assert gone.object_uuid == known and gone.payload == {"identifiers": [f"conect:{known}"]}


def test_changes_are_queued_after_commit_and_swept(
    endpoint, receiver, congregation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(congregation=congregation)
    assert len(receiver.received) == 1  # the eager task ran after the commit
    WebhookDelivery.objects.update(status="pending", delivered_at=None)
    assert webhooks_sweep_task() == 1


def test_delivery_log_in_the_admin(client, login, admin_user, endpoint, congregation):
    PersonFactory(congregation=congregation)
    login(client, admin_user)
    assert client.get("/admin/api/webhookdelivery/").status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/").status_code == 200
    assert client.get("/admin/api/webhookendpoint/add/").status_code == 200
