import functools

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conect import access
from conect.config import conect_setting


@functools.cache
def _menu(staff_or_lead: bool, admin: bool) -> tuple[tuple[object, str], ...]:
    """The menu's (label, url) items for a kind of user: reversed once per process, not on every
    page (the labels are lazy, translated when shown)."""
    items = [(_("Home"), reverse("home"))]
    if staff_or_lead:
        items.append((_("Congregations"), reverse("congregations:list")))
        items.append((_("People"), reverse("members:person_list")))
        items.append((_("Dues"), reverse("dues:network")))
    else:  # a leader
        items.append((_("My congregation"), reverse("congregations:list")))
    # relationships (issue 4): everyone logs one-on-ones and owes follow-ups.
    items.append((_("Follow-ups"), reverse("relationships:follow_up_list")))
    items.append((_("One-on-ones"), reverse("relationships:one_on_one_list")))
    items.append((_("House meetings"), reverse("relationships:house_meeting_list")))
    if staff_or_lead:
        items.append((_("Listening"), reverse("relationships:listening")))
        items.append((_("Map"), reverse("relationships:map")))
    # Campaigns and actions are public campaign/action info for every role.
    items.append((_("Campaigns"), reverse("campaigns:list")))
    items.append((_("Actions"), reverse("actions:list")))
    if admin:
        items.append((_("Admin"), reverse("admin:index")))
    return tuple(items)


def navigation(request) -> dict:
    """The menu for the signed-in user's role: each item is (label, url, active)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = _menu(access.is_staff_or_lead(user), access.is_admin(user))
    path = request.path
    nav = [
        (label, url, path == url if url == "/" else path.startswith(url)) for label, url in items
    ]
    # The two-step sign-in page says when it is required of this user (conect.middleware).
    return {
        "nav_items": nav,
        "mfa_required": conect_setting("MFA_REQUIRED") and access.must_use_mfa(user),
    }
