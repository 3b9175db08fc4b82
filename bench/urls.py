"""The bench's URLconf (conect.settings_bench only): the app's URLs and the floor view."""

from django.urls import path

from conect.urls import urlpatterns as app_urlpatterns

from . import views

urlpatterns = [path("bench/floor/", views.floor, name="bench_floor"), *app_urlpatterns]
