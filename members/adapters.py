from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter

from conect.config import site_url


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are invited by staff (in the admin); nobody signs themself up."""

    def is_open_for_signup(self, request):
        return False

    def get_reset_password_from_key_url(self, key):
        """Invitations and password resets link to the site's one address (CONECT_SITE_URL),
        not to whatever host the admin who sent them was using."""
        link = urlsplit(super().get_reset_password_from_key_url(key))
        return site_url(link.path + (f"?{link.query}" if link.query else ""))
