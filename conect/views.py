import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from conect.roles import Role

from . import dashboards
from .celery import app as celery_app


@require_GET
def home(request):
    """The role home: what this person needs first when they open the app."""
    user = request.user
    if user.role == Role.ADMIN:
        context, template = dashboards.network_summary(), "home/admin.html"
    elif user.role == Role.ORGANIZER:
        context, template = dashboards.organizer_home(user), "home/organizer.html"
    elif user.role == Role.LEAD:
        context, template = dashboards.lead_home(user), "home/lead.html"
    else:
        context, template = dashboards.leader_home(user), "home/leader.html"
    return render(request, template, context)


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
