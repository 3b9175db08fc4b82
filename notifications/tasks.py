"""Celery tasks: thin wrappers over the services. They take ids, never objects."""

import logging

from celery import shared_task
from django.utils import timezone

from conect.dispatch import dispatch

from .reminders import reminders_sweep
from .services import (
    DELIVERY_HARD_LIMIT,
    DELIVERY_SOFT_LIMIT,
    deliverable,
    notifications_deliver,
)

log = logging.getLogger(__name__)
CHUNK = 200


@shared_task(
    acks_late=True,
    ignore_result=True,
    soft_time_limit=DELIVERY_SOFT_LIMIT,
    time_limit=DELIVERY_HARD_LIMIT,
)
def notifications_deliver_task(ids: list[int]) -> dict:
    return notifications_deliver(ids=ids)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=600, time_limit=660)
def reminders_sweep_task() -> dict:
    """The beat's sweep: claim what is due, then hand the deliverable rows to workers in chunks.
    A chunk whose task is lost is picked up by the next sweep: the rows are still pending."""
    claimed = reminders_sweep()
    dispatch_deliveries()
    log.info("reminders sweep claimed %s", claimed)
    return claimed


def dispatch_deliveries() -> int:
    ids = list(deliverable(timezone.now()).order_by("pk").values_list("pk", flat=True)[:50_000])
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        dispatch(notifications_deliver_task, chunk)
    return len(ids)
