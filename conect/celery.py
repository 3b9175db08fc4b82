"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import beat_init, celeryd_init

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
