from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/stage/", views.campaign_stage, name="stage"),
    path("<int:pk>/research/new/", views.research_create, name="research_create"),
]
