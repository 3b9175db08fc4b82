"""/api/: the OSDI / Action Network v2 resources under v2/, the OpenAPI schema, its browsable
documentation, and the page where users make and revoke their tokens.

Resource paths take an optional trailing slash: Action Network clients write both
(`…/people` and `…/people/`), and a redirect would turn their POST into a GET."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path, re_path

from . import docs, token_views, views

app_name = "api"

UUID = r"(?P<uuid>[0-9a-fA-F-]{32,36})"
TAG = r"(?P<tag_uuid>[0-9a-fA-F-]{32,36})"
EVENT = r"(?P<event_uuid>[0-9a-fA-F-]{32,36})"


def resource(pattern: str, view, name: str):
    """A v2 resource: token-authenticated (LoginRequiredMiddleware's session login does not
    apply; DRF refuses a request without a valid token with 401)."""
    return re_path(rf"^v2/{pattern}/?$", login_not_required(view.as_view()), name=name)


urlpatterns = [
    re_path(r"^v2/?$", login_not_required(views.EntryPoint.as_view()), name="entry"),
    resource("people", views.PeopleView, "people"),
    resource(f"people/{UUID}", views.PersonView, "person"),
    resource(f"people/{UUID}/attendances", views.PersonAttendancesView, "person_attendances"),
    resource("tags", views.TagsView, "tags"),
    resource(f"tags/{UUID}", views.TagView, "tag"),
    resource(f"tags/{UUID}/taggings", views.TaggingsView, "taggings"),
    resource(f"tags/{TAG}/taggings/{UUID}", views.TaggingView, "tagging"),
    resource("events", views.EventsView, "events"),
    resource(f"events/{UUID}", views.EventView, "event"),
    resource(f"events/{UUID}/attendances", views.AttendancesView, "attendances"),
    resource(f"events/{EVENT}/attendances/{UUID}", views.AttendanceView, "attendance"),
    re_path(r"^v2/", login_not_required(views.NotFoundView.as_view()), name="not_found"),
    # The schema answers a token or a signed-in session; the documentation page needs a login.
    path("schema/", login_not_required(docs.SchemaView.as_view()), name="schema"),
    # DRF marks its views login-not-required; a person opening the page goes to the login.
    path("docs/", login_required(docs.DocsView.as_view()), name="docs"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
