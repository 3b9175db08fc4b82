"""Health and outages: `/healthz/` answered ahead of everything, and a calm 503 page while the
database is down (the site comes back by itself: Django reconnects on the next request)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from .views import healthz

HEALTH_PATH = "/healthz/"
RETRY_AFTER_SECONDS = 30


class HealthCheckMiddleware:
    """First in MIDDLEWARE: `/healthz/` skips host validation, sessions and the HTTPS redirect.
    Its answer names no host and links nowhere, so any probe may ask whatever its Host header
    says: compose's check on 127.0.0.1, a load balancer on its own address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


def database_down(request=None) -> HttpResponse:
    """The page every URL answers while the database does not: no traceback, no debug page,
    nothing that needs the database (no session, no menu), in the visitor's language."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: the database being down is an outage (503), anything else a bug (500)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_down(request)
    return defaults.server_error(request)
