from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are invited by staff (in the admin); nobody signs themself up."""

    def is_open_for_signup(self, request):
        return False
