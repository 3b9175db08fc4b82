"""The OSDI-API-Token header: the way Action Network v2 clients (Parsons among them) sign in."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .selectors import token_for_digest
from .services import digest_of, token_mark_used

HEADER = "OSDI-API-Token"


class OsdiTokenAuthentication(authentication.BaseAuthentication):
    """`OSDI-API-Token: conect_…` acts as the token's user. A revoked token, or one whose user
    was deactivated, is refused."""

    def authenticate(self, request):
        token = request.META.get("HTTP_OSDI_API_TOKEN", "").strip()
        if not token:
            return None
        api_token = token_for_digest(digest_of(token))
        if api_token is None:
            raise exceptions.AuthenticationFailed(_("API token invalid or revoked."))
        token_mark_used(token=api_token)
        request.api_token = api_token
        return api_token.user, api_token

    def authenticate_header(self, request):
        return HEADER


class OsdiTokenScheme(OpenApiAuthenticationExtension):
    target_class = OsdiTokenAuthentication
    name = "OSDI-API-Token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": HEADER}
