"""Rate limits per token: one busy script cannot starve the others (429 with Retry-After)."""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token, at REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["osdi_token"] (the
    environment's CONECT_API_RATE). Requests without a token are refused before they count."""

    scope = "osdi_token"

    def get_cache_key(self, request, view):
        token = getattr(request, "api_token", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
