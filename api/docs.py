"""The OpenAPI schema (drf-spectacular) and its browsable documentation (Swagger UI, served
from drf-spectacular-sidecar's pinned copy: no CDN). The page's start-up script is a separate
request (the split view), so the strict Content-Security-Policy holds: no inline script or
style."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """GET /api/schema/: OpenAPI 3 in YAML, or JSON with ?format=json."""


class DocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"
    template_name = "api/swagger_ui.html"
    title = "CONECT Organizer API"
