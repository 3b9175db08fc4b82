from django.urls import path

from . import values_views, views

app_name = "members"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("export.csv", views.people_export, name="export"),
    path("import/", views.import_start, name="import_start"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("equity/", values_views.equity_report, name="equity_report"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/ladder/", views.person_ladder, name="person_ladder"),
    path("<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("<int:pk>/demographics/", values_views.person_demographics, name="person_demographics"),
    path(
        "<int:pk>/voter-registration/",
        values_views.person_voter_registration,
        name="person_voter_registration",
    ),
    path("<int:pk>/merge/<int:other_pk>/", views.person_merge, name="person_merge"),
    path(
        "<int:pk>/not-duplicate/<int:other_pk>/",
        views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
]
