"""/dues/: the network dues page and other income (mounted in conect/urls.py)."""

from django.urls import path

from . import views_dues

app_name = "dues"
urlpatterns = [
    path("", views_dues.dues_network, name="network"),
    path("income/", views_dues.income_list, name="income_list"),
    path("income/new/", views_dues.income_new, name="income_new"),
]
