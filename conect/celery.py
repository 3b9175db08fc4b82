"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery
from celery.exceptions import WorkerShutdown
from celery.signals import beat_init, celeryd_init, worker_shutting_down

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")

app = Celery("conect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@beat_init.connect
def refuse_to_start_misconfigured(**_kwargs) -> None:
    """A production worker or beat with no site address would send emails that link nowhere:
    stop it with the reason (Celery logs and swallows ordinary exceptions from signals)."""
    from django.core.exceptions import ImproperlyConfigured

    from .config import require_production_settings  # reason: Django's settings load first

    try:
        require_production_settings()
    except ImproperlyConfigured as problem:
        raise SystemExit(f"CONECT will not start: {problem}") from problem


@worker_shutting_down.connect
def stop_polling_the_folder_now(how: str = "", exitcode: int = 0, **_kwargs) -> None:
    """The laptop's worker (embedded broker) polls a folder in 2-second waits, so a warm stop
    took ~5 s and `make run`'s Ctrl-C ended in honcho's SIGKILL. Ending the wait at once is
    safe there: the threads pool runs tasks off the main thread, and the stop that follows is
    the same warm shutdown (tasks in hand finish, unacknowledged messages go back)."""
    if how == "Warm" and app.conf.broker_url.startswith("filesystem://"):
        raise WorkerShutdown(exitcode)
