import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "down"


def _broker_state() -> str:
    if settings.CELERY_BROKER_EMBEDDED:
        folder = str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return "embedded" if os.access(folder, os.W_OK) else "down"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        return "ok"
    except Exception:
        return "down"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer; 503 naming the part that does not."""
    state = {"db": _database_state(), "broker": _broker_state()}
    healthy = all(value in ("ok", "embedded") for value in state.values())
    return JsonResponse(state, status=200 if healthy else 503)
