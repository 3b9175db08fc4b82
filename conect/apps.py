from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core import checks


class ConectConfig(AppConfig):
    default = True  # this module also holds the admin's AppConfig
    name = "conect"
    verbose_name = "CONECT"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from conect.middleware import start_idle_clock  # reason: the middleware imports models

        user_logged_in.connect(start_idle_clock, dispatch_uid="conect-idle-clock")
        # Cached fragments: a write to an app's models invalidates what reads it (conect.fragments)
        from conect.fragments import watch_models

        watch_models()
        checks.register(site_url_check, checks.Tags.security, deploy=True)


def site_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy` (and compose's migrate step) fail on a site address that is set but local
    or not http(s)."""
    from django.conf import settings

    from .config import site_url_problem

    url = getattr(settings, "CONECT", {}).get("SITE_URL")
    # An unset address stops the servers themselves at start-up (conect.config); the deploy
    # check reports one that is set but wrong, so `check --deploy` on a build machine with no
    # site configured stays clean.
    problem = site_url_problem(url) if url else None
    if settings.DEBUG or problem is None:
        return []
    return [checks.Error(problem, id="conect.E001")]


class ConectAdminConfig(admin_apps.AdminConfig):
    """The Django admin with CONECT's site: its login is allauth's (conect.admin)."""

    default = False
    default_site = "conect.admin.ConectAdminSite"
