from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: pages that draw on every app (the role homes, the person's practice)."""

    name = "home"
    verbose_name = _("Home")
