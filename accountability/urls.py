from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("leaders/", views.leaders_panel, name="leaders_panel"),
    path("actions/<int:pk>/", views.action_panel, name="action_panel"),
    path("house-meetings/<int:pk>/", views.house_meeting_panel, name="house_meeting_panel"),
    path("people/<int:pk>/", views.person_panel, name="person_panel"),
]
