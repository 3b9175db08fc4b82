from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from members.signals import person_merged


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from .signals import rekey_after_merge  # models load only once apps are ready

        person_merged.connect(rekey_after_merge, dispatch_uid="notifications-rekey-after-merge")
