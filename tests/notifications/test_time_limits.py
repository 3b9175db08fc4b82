"""A slow delivery never overlaps another worker's (issue 11, Must 9): the lease outlives the
task's hard time limit, and the soft limit stops the batch instead of being taken for an SMTP
failure and sending on after the lease may have run out."""

import datetime
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from notifications import services
from notifications.models import Kind, Notification, Status
from notifications.services import notifications_deliver
from notifications.tasks import notifications_deliver_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 27, 13, 0, tzinfo=datetime.UTC)


def test_the_lease_outlives_the_hard_time_limit():
    task = notifications_deliver_task
    assert task.soft_time_limit < task.time_limit
    assert datetime.timedelta(seconds=task.time_limit) < services.LEASE


@pytest.fixture
def three_pending():
    user = UserFactory()
    return [
        Notification.objects.create(
            kind=Kind.FOLLOWUP_DUE,
            subject_key=f"followup:{n}",
            recipient_key=f"user:{user.pk}",
            recipient_user=user,
            for_date=NOW.date(),
            email=user.email,
            title=f"Reminder {n}",
            body="Call them back.",
        )
        for n in range(3)
    ]


def test_the_soft_time_limit_stops_sending(three_pending):
    first, cut, untouched = three_pending
    send = mock.Mock(side_effect=[1, SoftTimeLimitExceeded(), 1])
    with (
        mock.patch("notifications.services.EmailMessage.send", send),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        notifications_deliver(now=NOW)
    assert send.call_count == 2  # nothing sent after the limit
    first.refresh_from_db(), cut.refresh_from_db(), untouched.refresh_from_db()
    assert first.status == Status.SENT
    # Cut short mid-send: not a failure to back off from; its lease runs out, then it is retried
    # (with the same Message-ID, so a message that did leave is recognised as the same).
    assert (cut.status, cut.last_error) == (Status.SENDING, "")
    assert cut.lease_until == NOW + services.LEASE
    # Never tried: handed back at once, its attempt not counted.
    assert (untouched.status, untouched.attempts, untouched.lease_token) == (Status.PENDING, 0, "")

    assert notifications_deliver(now=NOW)["sent"] == 1  # the untouched one, at the next run
    later = NOW + services.LEASE + datetime.timedelta(seconds=1)
    assert notifications_deliver(now=later)["sent"] == 1  # the cut one, once its lease ran out
    assert Notification.objects.filter(status=Status.SENT).count() == 3
