"""The real client address behind the proxies we run (docs/security.md "Rate limits").

Each trusted proxy appends the address it received the request from to `X-Forwarded-For`, so with
`settings.TRUSTED_PROXY_COUNT = N` the client is the N-th entry from the right; anything to its
left was written by the client and proves nothing. With N = 0 (no proxy) the header is ignored.
Sign-in rate limits (members.adapters) and audit rows read the address here. The ground floor.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent `request`, as far as our own proxies can vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop]
        # Fewer hops than proxies: the request did not come through all of them (a health
        # check on the app port); the connection's own address is the only one to trust.
        if len(hops) >= count and (address := _valid(hops[-count])):
            return address
    return _valid(remote) or remote or "0.0.0.0"  # noqa: S104 - a placeholder, never bound
