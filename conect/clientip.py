"""The address a request came from, as the proxies in front of the app report it.

Behind the documented TLS proxy every request's REMOTE_ADDR is the proxy's, so the client is the
entry the nearest trusted proxy appended to X-Forwarded-For: with N trusted proxies, the N-th
entry from the right. Entries to the left of it are whatever the client sent and are never
believed. N is `settings.TRUSTED_PROXY_COUNT` (env DJANGO_TRUSTED_PROXY_COUNT, default 0: no
proxy, REMOTE_ADDR is the client).

Sign-in rate limits (members.adapters) and the audit log read the address here.
`ClientAddressMiddleware` keeps the current request's address in a context variable, so the
audit log (members.services.audit_log) records it without every service taking the request.
"""

import contextvars
import ipaddress

from django.conf import settings

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "conect_client_address", default=None
)


def trusted_proxy_count() -> int:
    """How many proxies of ours stand in front of the app (validated when settings load)."""
    return settings.TRUSTED_PROXY_COUNT


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR with no trusted proxy; else the entry the outermost
    trusted proxy appended to X-Forwarded-For (REMOTE_ADDR when the header is shorter than the
    proxies configured, i.e. the request did not come through them)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    count = trusted_proxy_count()
    if count == 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return _address(hops[-count]) or remote


def current_client_ip() -> str | None:
    """The address of the request being served; None outside a request (a task, a command)."""
    return _current.get()


class ClientAddressMiddleware:
    """Makes the request's address available to code that does not see the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
