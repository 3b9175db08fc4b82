from django.apps import AppConfig


class ConectConfig(AppConfig):
    name = "conect"
    verbose_name = "CONECT"
