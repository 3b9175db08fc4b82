import datetime

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from conect.dashboards import _with_counts
from conect.roles import Role
from members.models import Level, Person

from .forms import CongregationForm
from .models import MembershipRole
from .selectors import congregations_visible_to, congregations_with_dues

RECENT_DAYS = 30


def _edits_congregations(user) -> bool:
    """CONECT staff (admins, organizers) keep congregation profiles up to date."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.ORGANIZER)


@require_GET
def congregation_list(request):
    visible = congregations_visible_to(request.user)
    congregations = list(_with_counts(visible))
    # Two queries, not one: PostgreSQL runs the dues subqueries once per membership row when
    # they share a query with the counts' joins (2 s instead of 0.1 s at 30,000 people).
    standing = {c.pk: c.dues for c in congregations_with_dues(visible)}
    for congregation in congregations:
        congregation.__dict__["dues"] = standing[congregation.pk]  # fills the cached_property
    context = {"congregations": congregations, "sees_people": request.user.role != Role.LEADER}
    return render(request, "congregations/list.html", context)


def _recent_one_on_ones(user, congregation) -> int | None:
    """One-on-ones in the congregation in the last 30 days that `user` may see, or None while
    the relationships app does not provide them."""
    try:
        from relationships.selectors import one_on_ones_visible_to
    except ImportError:
        return None
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    meetings = one_on_ones_visible_to(user).filter(congregation=congregation, held_on__gte=since)
    return meetings.count()


@require_GET
def congregation_detail(request, slug):
    congregation = get_object_or_404(
        _with_counts(congregations_visible_to(request.user)), slug=slug
    )
    context = {
        "congregation": congregation,
        "sees_people": request.user.role != Role.LEADER,
        "can_edit": _edits_congregations(request.user),
    }
    if context["sees_people"]:
        members = Person.objects.filter(
            archived_at__isnull=True, memberships__congregation=congregation
        )
        counts = dict(
            members.values_list("level").annotate(n=Count("id")).values_list("level", "n")
        )
        context["ladder"] = [(label, counts.get(value, 0)) for value, label in Level.choices]
        context["core_team"] = members.filter(memberships__role=MembershipRole.CORE_TEAM).order_by(
            "last_name", "first_name"
        )
        context["recent_one_on_ones"] = _recent_one_on_ones(request.user, congregation)
    return render(request, "congregations/detail.html", context)


@require_http_methods(["GET", "POST"])
def congregation_edit(request, slug):
    if not _edits_congregations(request.user):
        congregations = congregations_visible_to(request.user).none()
    else:
        congregations = congregations_visible_to(request.user)
    congregation = get_object_or_404(congregations, slug=slug)
    form = CongregationForm(request.POST or None, instance=congregation)
    if request.method == "POST" and form.is_valid():
        # A profile edit is a plain ModelForm save: no business rule beyond validation.
        with transaction.atomic():
            form.save()
        messages.success(request, _("Congregation saved."))
        return redirect(congregation)
    return render(request, "congregations/edit.html", {"form": form, "congregation": congregation})
