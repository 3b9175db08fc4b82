import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
application = get_asgi_application()

from conect.config import require_production_settings  # noqa: E402 - needs the settings

require_production_settings()  # a production server with no site address does not start
