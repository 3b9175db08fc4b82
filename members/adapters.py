import time
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from conect import access
from conect.clientip import client_ip
from conect.config import conect_setting, site_url


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are invited by staff (in the admin); nobody signs themself up."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        # Sign-in limits per address count the client behind our proxies, not the proxy.
        return client_ip(request) or "0.0.0.0"  # noqa: S104 - a rate-limit key, never bound

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A sign-in a few minutes old is as fresh as a confirmation: someone sent to set up
        # two-step sign-in straight after signing in is not asked for their password again.
        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if (
                records
                and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)


class ConectMFAAdapter(DefaultMFAAdapter):
    """Whoever must use two-step sign-in cannot switch their authenticator app off (they can
    set up a new one: staff remove the old one in the admin when a phone is lost)."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if (
            conect_setting("MFA_REQUIRED")
            and authenticator.type == Authenticator.Type.TOTP
            and access.must_use_mfa(authenticator.user)
        ):
            return False
        return super().can_delete_authenticator(authenticator)

    def get_reset_password_from_key_url(self, key):
        """Invitations and password resets link to the site's one address (CONECT_SITE_URL),
        not to whatever host the admin who sent them was using."""
        link = urlsplit(super().get_reset_password_from_key_url(key))
        return site_url(link.path + (f"?{link.query}" if link.query else ""))
