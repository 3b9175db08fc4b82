from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from members.signals import person_merged

        from .signals import rekey_after_merge

        person_merged.connect(rekey_after_merge, dispatch_uid="notifications-rekey-after-merge")
