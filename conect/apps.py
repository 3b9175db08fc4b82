from django.apps import AppConfig
from django.core import checks


class ConectConfig(AppConfig):
    name = "conect"
    verbose_name = "CONECT"

    def ready(self) -> None:
        checks.register(site_url_check, checks.Tags.security, deploy=True)


def site_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy` (and compose's migrate step) fail on a missing or local site address."""
    from django.conf import settings

    from .config import site_url_problem

    problem = site_url_problem(getattr(settings, "CONECT", {}).get("SITE_URL"))
    if settings.DEBUG or problem is None:
        return []
    return [checks.Error(problem, id="conect.E001")]
