from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongregationsConfig(AppConfig):
    name = "congregations"
    verbose_name = _("Congregations")
