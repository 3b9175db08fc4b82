from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConectConfig(AppConfig):
    default = True  # this module also holds the admin's AppConfig
    name = "conect"
    verbose_name = "CONECT"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from conect.middleware import start_idle_clock  # the middleware imports models

        user_logged_in.connect(start_idle_clock, dispatch_uid="conect-idle-clock")


class ConectAdminConfig(admin_apps.AdminConfig):
    """The Django admin with CONECT's site: its login is allauth's (conect.admin)."""

    default = False
    default_site = "conect.admin.ConectAdminSite"
