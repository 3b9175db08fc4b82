from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from conect import access


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships")

    def ready(self):
        # Who met whom is ours to say; the directory, a floor below, asks through conect.access.
        from .selectors import met_by_q, met_since_q  # models load only once apps are ready

        access.provide_meeting_filters(met_by=met_by_q, met_since=met_since_q)
