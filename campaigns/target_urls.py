"""/targets/…: the officials and decision-makers CONECT holds accountable."""

from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.target_list, name="list"),
    path("new/", views.target_create, name="create"),
    path("<int:pk>/", views.target_detail, name="detail"),
    path("commitments/<int:pk>/status/", views.commitment_status, name="commitment_status"),
]
