"""Celery tasks of the congregations app: thin wrappers over services."""

from celery import shared_task
from django.utils import timezone

from .fiscal import fiscal_year_of
from .services import dues_assess_year
from .tallies import tallies_refresh


@shared_task
def dues_assess_current_year() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): assess the current fiscal year. Idempotent, so it also
    picks up a congregation that became a member (or got a tier) since yesterday, prorated."""
    run = dues_assess_year(fiscal_year=fiscal_year_of(timezone.localdate()))
    return len(run.posted)


@shared_task
def tallies_refresh_task(congregation_ids: list[int] | None = None) -> int:
    """Recount congregations' people, leaders and core team (all of them when no ids):
    every minute (CELERY_BEAT_SCHEDULE)."""
    return tallies_refresh(congregation_ids)
