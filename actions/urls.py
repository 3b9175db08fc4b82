from django.urls import path

from . import civic_views, views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_create, name="create"),
    path("warnings/", views.action_warnings, name="warnings"),
    path("calendar.ics", views.calendar_ics, name="ics"),
    path("calendar/", views.calendar_subscribe, name="calendar"),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:name>.csv", views.report_csv, name="report_csv"),
    path("turnout/<slug:slug>/", views.congregation_turnout, name="congregation_turnout"),
    path("elections/", civic_views.elections, name="elections"),
    path("elections/<int:pk>/<slug:slug>/", civic_views.election_day, name="election_day"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/registration/", civic_views.registration_drive, name="registration_drive"),
    path("<int:pk>/pledge-cards/", civic_views.pledge_cards, name="pledge_cards"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/pledge/", views.pledge, name="pledge"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/rsvp/<int:person_pk>/", views.rsvp, name="rsvp"),
    path("<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:pk>/follow-ups-created/", views.followups_created, name="followups_created"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/attendance/", views.attendance_after, name="attendance_after"),
    path("<int:pk>/check-in/search/", views.check_in_search, name="check_in_search"),
    path("<int:pk>/check-in/walk-in/", views.walk_in, name="walk_in"),
    path("<int:pk>/check-in/<int:person_pk>/", views.check_in_person, name="check_in_person"),
]
