from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API and webhooks")

    def ready(self):
        # The API sits above the apps it serves: it listens to their saves (post_save) to send
        # webhooks and to date its objects; no app below imports it.
        from . import signals  # models load only once apps are ready

        signals.connect()
