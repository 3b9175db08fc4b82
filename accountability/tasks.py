"""Celery tasks: thin wrappers around services."""

from celery import shared_task

from .services import leader_commitments_resolve_due


@shared_task(ignore_result=True)
def leader_commitments_resolve_task() -> int:
    """From beat: commitments whose due date has ended resolve to kept or broken."""
    return leader_commitments_resolve_due()
