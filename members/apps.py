from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _

from conect import access, audit


def _forget_scope(sender, instance, **kwargs):
    """A login's congregations changed: its cached scope (conect.access) is stale."""
    access.forget_scope(instance)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("People")

    def ready(self):
        through = self.get_model("User").congregations.through
        m2m_changed.connect(_forget_scope, sender=through, dispatch_uid="members-forget-scope")
        # The audit log's writer, handed down to the ground floor (conect.audit): the admin
        # and the dues ledger, below members, record through it.
        from .services import audit_log  # services import models: only once apps are ready

        audit.register(audit_log)
