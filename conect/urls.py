from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from home import views as home_views

from . import views

handler500 = "conect.health.server_error"  # the database down: a calm 503, not a 500
admin.site.site_header = "CONECT Organizer"
admin.site.site_title = "CONECT Organizer"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("congregations/", include("congregations.urls")),
    path("", home_views.home, name="home"),
    path("", include("home.urls")),  # /people/<id>/practice/
    path("people/", include("members.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("targets/", include("campaigns.target_urls")),
    path("actions/", include("actions.urls")),
    path("commitments/", include("accountability.urls")),  # leaders' own (issue 14)
    path("dues/", include("congregations.urls_dues")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),  # OSDI / Action Network v2 (issue 15)
    # relationships (issue 4): /one-on-ones/, /house-meetings/, /follow-ups/, /relationships/map/,
    # /listening/
    path("", include("relationships.urls")),
]
