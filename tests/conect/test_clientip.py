"""The client address behind a configured number of trusted proxies (conect.clientip)."""

import pytest

from conect.clientip import client_ip


def ip(rf, remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **extra))


def test_no_proxy_means_the_peer_and_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ip(rf, "203.0.113.9", "6.6.6.6") == "203.0.113.9"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client forged the first entry
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (2, "198.51.100.7", "10.0.0.2"),  # fewer hops than proxies: not through them
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_behind_trusted_proxies(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert ip(rf, forwarded=forwarded) == expected
