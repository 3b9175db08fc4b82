from django.urls import path

from . import views

app_name = "relationships"
urlpatterns = [
    path("one-on-ones/", views.one_on_one_list, name="one_on_one_list"),
    path("one-on-ones/new/", views.one_on_one_new, name="one_on_one_new"),
    path("one-on-ones/people/", views.person_search, name="person_search"),
    path("one-on-ones/<int:pk>/", views.one_on_one_detail, name="one_on_one_detail"),
    path("house-meetings/", views.house_meeting_list, name="house_meeting_list"),
    path("house-meetings/new/", views.house_meeting_new, name="house_meeting_new"),
    path("house-meetings/<int:pk>/", views.house_meeting_detail, name="house_meeting_detail"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("follow-ups/<int:pk>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("relationships/map/", views.relationship_map, name="map"),
    path("relationships/map/network.json", views.map_network, name="map_network"),
    path("relationships/map/bridges/", views.map_bridges, name="map_bridges"),
    path(
        "relationships/map/congregations/<slug:slug>.json",
        views.map_congregation,
        name="map_congregation",
    ),
    path("relationships/map/people/<int:pk>.json", views.map_person, name="map_person"),
    path(
        "relationships/congregations/<slug:slug>/one-on-ones/",
        views.congregation_one_on_ones,
        name="congregation_one_on_ones",
    ),
    path("listening/", views.listening, name="listening"),
    path(
        "reports/one-on-ones-over-time/",
        views.one_on_ones_over_time,
        name="one_on_ones_over_time",
    ),
    path("listening/meetings/", views.listening_meetings, name="listening_meetings"),
]
