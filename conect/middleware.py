"""Middleware for the trust rules of docs/security.md. The ground floor: imports no app.

- `SecurityHeadersMiddleware`: `Cache-Control: no-store` on whatever a signed-in user is sent
  (pages and CSV exports carry personal data; a shared computer's back button or a proxy must not
  keep a copy), and a `Permissions-Policy` that turns off browser features the app never uses.
- `IdleTimeoutMiddleware`: staff and leads are signed out after `STAFF_IDLE_MINUTES` without a
  request; the session itself lasts `SESSION_COOKIE_AGE` at most.
- `MFARequiredMiddleware`: who must use two-step sign-in (`access.must_use_mfa`) and has no
  authenticator app yet is sent to set one up, and can use nothing else until it is done.
- `QueryGuardMiddleware`: a query string no person types (NUL or another control character, a
  parameter longer than `MAX_QUERY_VALUE`) is a 400 before any view or form sees it.
"""

import re
import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from conect import access
from conect.config import conect_setting

# Browser features the app never uses (no camera at the door: check-in is by name).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# The longest query parameter (name or value) a page takes: a search, a filter, a `next` address
# or an API filter expression are far shorter; 100,000 characters of one is an attack.
MAX_QUERY_VALUE = 2000
# C0 control characters and DEL, except tab and line breaks (pasted text may carry them).
# PostgreSQL refuses NUL in any text, so every filter it reached was a 500.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

LAST_SEEN_KEY = "conect_last_seen"
# A busy user's session is written at most once a minute for the idle clock.
LAST_SEEN_GRANULARITY = 60


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        # A view that chose its own caching (never_cache on /healthz/) keeps it.
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """On sign-in (the user_logged_in signal): the idle clock starts now, saved with the new
    session, so the first pages after signing in write nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign staff and leads out after a quiet spell; LoginRequiredMiddleware then sends them to
    the login page with `next`, so they come back where they were."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.role in access.STAFF_OR_LEAD_ROLES:
            idle_limit = conect_setting("STAFF_IDLE_MINUTES") * 60
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if idle_limit and last_seen is not None and now - last_seen > idle_limit:
                logout(request)
                messages.info(
                    request, _("You were signed out after a while without activity. Sign in again.")
                )
            elif last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def _mfa_setup_paths() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prefixes, exact paths) a user who still owes MFA may use: setting it up (allauth's
    two-step pages and the password confirmation they ask for), signing out, the language
    switch, the health check and static files."""
    prefixes = (reverse("mfa_index"), settings.STATIC_URL if settings.STATIC_URL else "/static/")
    exact = tuple(
        reverse(name)
        for name in ("account_reauthenticate", "account_logout", "set_language", "healthz")
    )
    return tuple(f"/{p.lstrip('/')}" for p in prefixes), exact


class MFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._paths: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            conect_setting("MFA_REQUIRED")
            and access.must_use_mfa(user)
            and not self._exempt(request.path)
            and not Authenticator.objects.filter(
                user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            return self._to_setup(request)
        return self.get_response(request)

    def _exempt(self, path: str) -> bool:
        if self._paths is None:
            self._paths = _mfa_setup_paths()
        prefixes, exact = self._paths
        return path in exact or path.startswith(prefixes)

    def _to_setup(self, request: HttpRequest) -> HttpResponse:
        setup = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            # htmx would swap the setup page into a fragment: ask it to load the whole page.
            return HttpResponse(status=204, headers={"HX-Redirect": setup})
        messages.warning(
            request,
            _(
                "Your role opens every congregation's records, so it needs two-step sign-in. "
                "Set up an authenticator app to continue."
            ),
        )
        return HttpResponseRedirect(setup)


class QueryGuardMiddleware:
    """Refuse (400) a query string carrying a NUL or another control character, or a parameter
    longer than MAX_QUERY_VALUE: no page, filter or API call takes one, and letting it through
    made a 500 wherever it reached the database (PostgreSQL refuses NUL) or a parser. Checked
    once here rather than by every form and filter. The API is answered in its own shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("QUERY_STRING") and _hostile_query(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"error": _("The query string is not valid.")}, status=400)
            raise BadRequest("query string with control characters or an oversized parameter")
        return self.get_response(request)


def _hostile_query(request: HttpRequest) -> bool:
    for name, values in request.GET.lists():
        for text in (name, *values):
            if len(text) > MAX_QUERY_VALUE or _CONTROL_CHARACTERS.search(text):
                return True
    return False
