"""Celery tasks: thin wrappers over members.services, so the command, the browser and the worker
share one import code path."""

import datetime

from celery import shared_task

from conect.fragments import TOPICS, bump

from .duplicates import duplicates_refresh
from .models import ImportJob
from .services import (
    import_job_analyse,
    import_job_run,
    import_jobs_requeue,
    import_uploads_purge,
)
from .tallies import ladder_tally_refresh


@shared_task
def import_job_analyse_task(*, job_id: int) -> None:
    jobs = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.ANALYSING)
    job = jobs.defer("content").first()  # the worker reads the text in chunks
    if job is not None:
        import_job_analyse(job=job)


@shared_task
def import_job_run_task(*, job_id: int) -> None:
    jobs = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING)
    job = jobs.defer("content").first()
    if job is not None:
        import_job_run(job=job)
        bump(*TOPICS)  # the import wrote in bulk, sending no signal (conect.fragments)


@shared_task(ignore_result=True)
def purge_import_uploads_task(*, days: int = 7) -> int:
    """Daily from beat: forget the CSV text of imports previewed but never confirmed."""
    return import_uploads_purge(older_than=datetime.timedelta(days=days))


@shared_task(ignore_result=True)
def import_jobs_requeue_task() -> int:
    """Every few minutes from beat: queue again the checks and imports that were lost."""
    return import_jobs_requeue()


@shared_task(ignore_result=True)
def duplicates_refresh_task() -> int:
    """Nightly from beat: scan the network for candidate duplicates (the queue reads them)."""
    return duplicates_refresh()


@shared_task(ignore_result=True)
def ladder_tally_task() -> int:
    """Recount the network's people by ladder level (CELERY_BEAT_SCHEDULE, every minute)."""
    return ladder_tally_refresh()
