from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("people/<int:pk>/practice/", views.person_practice, name="person_practice"),
]
