"""Celery tasks of the relationships app: thin wrappers over its services."""

from celery import shared_task

from .tallies import tallies_rebuild


@shared_task
def tallies_rebuild_task() -> None:
    """Rebuild the contact and listening tallies from the meetings (CELERY_BEAT_SCHEDULE): the
    writes keep them current; this catches any write that went around the services."""
    tallies_rebuild()
