from django.urls import path

from . import views

app_name = "congregations"
urlpatterns = [
    path("", views.congregation_list, name="list"),
    path("<slug:slug>/", views.congregation_detail, name="detail"),
]
