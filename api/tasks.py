"""Celery tasks for webhooks: thin wrappers over webhooks.py. They take ids, never objects."""

import logging

from celery import shared_task

from . import webhooks

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=webhooks.MAX_ATTEMPTS)
def webhook_deliver_task(self, delivery_id: int) -> bool:
    """One delivery attempt; a failure retries with back-off (the row says when). Eager runs
    (tests, a laptop without a worker) leave retries to the sweep."""
    outcome = webhooks.delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.delivered


@shared_task(acks_late=True, ignore_result=True)
def webhooks_sweep_task() -> int:
    """The beat's backstop: queue pending deliveries whose time has come (a task lost with a
    broker outage, a worker killed mid-send). The lease keeps this from doubling a live one."""
    due = webhooks.deliveries_due()
    webhooks.dispatch(due)
    return len(due)


@shared_task(acks_late=True, ignore_result=True)
def webhooks_purge_task() -> int:
    deleted = webhooks.changes_purge()
    log.info("webhooks: purged %s old rows", deleted)
    return deleted
