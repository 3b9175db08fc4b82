from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Actions")

    def ready(self):
        # The congregations list shows each congregation's last action: ours to read.
        from congregations import activity

        from .selectors import last_action_turnout

        activity.provide("last_action", last_action_turnout)
