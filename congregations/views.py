from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from conect import access
from conect.fragments import TOPICS, rendered_body
from conect.ladder import ladder_counts

from .activity import activity_of
from .forms import CongregationForm
from .models import Congregation
from .selectors import (
    congregations_visible_to,
    congregations_with_counts,
    congregations_with_dues,
    core_team_of,
    ladder_counts_of,
)

# ?sort= on the list: (key, newest/most first?) for each column a person can sort by.
SORTS = {
    "name": (lambda c: c.name.lower(), False),
    "people": (lambda c: c.people_count, True),
    "one_on_ones": (lambda c: c.activity.get("one_on_ones_30") or 0, True),
    "turnout": (lambda c: _turnout_ratio(c.activity.get("last_action")), True),
    "dues": (lambda c: (not c.dues.in_arrears, c.dues.overdue_cents * -1, c.name.lower()), False),
}


def _turnout_ratio(last) -> float:
    """Turnout as a share of the pledge (-1 without a past pledged action: sorts last)."""
    if not last:
        return -1.0
    return last["actual"] / last["pledged"] if last["pledged"] else float(last["actual"])


CORE_TEAM_SHOWN = 40


@require_GET
def congregation_list(request):
    """Every congregation the user may see; staff and leads also see activity (one-on-ones in
    the last 30 days, the last action's turnout against its pledge, dues) and sort by it. The
    query count is fixed: counts, dues, and one grouped read per activity column; the table is
    a cached fragment."""
    body = rendered_body(
        request,
        "congregations",
        TOPICS,
        "congregations/_list_body.html",
        lambda: _list_context(request),
        parts=[timezone.localdate()],
    )
    return render(request, "congregations/list.html", {"body": body})


def _list_context(request) -> dict:
    visible = congregations_visible_to(request.user)
    congregations = list(congregations_with_counts(visible))
    # Two queries, not one: PostgreSQL runs the dues subqueries once per membership row when
    # they share a query with the counts' joins (2 s instead of 0.1 s at 30,000 people).
    standing = {c.pk: c.dues for c in congregations_with_dues(visible)}
    for congregation in congregations:
        congregation.__dict__["dues"] = standing[congregation.pk]  # fills the cached_property
    sees_people = access.is_staff_or_lead(request.user)
    columns = activity_of(request.user, [c.pk for c in congregations]) if sees_people else {}
    for congregation in congregations:
        shown = {name: v.get(congregation.pk) for name, v in columns.items()}
        congregation.activity = shown  # type: ignore[attr-defined]  # read by the template
    sort = request.GET.get("sort", "name")
    if sort not in SORTS or (not sees_people and sort != "name"):
        sort = "name"
    key, descending = SORTS[sort]
    congregations.sort(key=key, reverse=descending)
    return {
        "congregations": congregations,
        "sees_people": sees_people,
        "sort": sort,
        "columns": [
            ("name", _("Name")),
            ("", _("Tradition")),
            ("people", _("People")),
            ("one_on_ones", _("One-on-ones, last 30 days")),
            ("turnout", _("Last action: came / pledged")),
            ("dues", _("Dues")),
        ],
        "sorts": [
            ("name", _("Name")),
            ("one_on_ones", _("One-on-ones, last 30 days")),
            ("turnout", _("Last action: turnout against pledge")),
            ("dues", _("Dues: in arrears first")),
            ("people", _("People")),
        ],
    }


@require_GET
def congregation_detail(request, slug):
    """What a lead lives on. Panels from higher floors (one-on-ones, turnout) load by URL; the
    rest is a cached fragment (the congregation itself is read every time: its name is the
    title, and a congregation out of the user's scope is a 404 before any cache is asked)."""
    congregation = get_object_or_404(congregations_visible_to(request.user), slug=slug)
    body = rendered_body(
        request,
        "congregation",
        TOPICS,
        "congregations/_detail_body.html",
        lambda: _detail_context(request, congregation),
    )
    return render(
        request, "congregations/detail.html", {"congregation": congregation, "body": body}
    )


def _detail_context(request, congregation) -> dict:
    congregation = congregations_with_counts(Congregation.objects.filter(pk=congregation.pk)).get()
    context = {
        "congregation": congregation,
        "sees_people": access.is_staff_or_lead(request.user),
        "can_edit": access.is_organizing_staff(request.user),
    }
    if context["sees_people"]:
        levels = ladder_counts_of([congregation.pk])
        context["ladder"] = ladder_counts(levels.get(congregation.pk, {}))
        # A large congregation's core team runs to thousands at network scale: the first ones
        # by name, and how many more (from the tally).
        context["core_team"] = [m.person for m in core_team_of(congregation)[:CORE_TEAM_SHOWN]]
        context["core_team_more"] = max(congregation.core_team_count - len(context["core_team"]), 0)
    return context


@require_http_methods(["GET", "POST"])
def congregation_edit(request, slug):
    congregation = get_object_or_404(congregations_visible_to(request.user), slug=slug)
    if not access.is_organizing_staff(request.user):
        raise PermissionDenied  # in scope, but profiles are kept by CONECT staff
    form = CongregationForm(request.POST or None, instance=congregation)
    if request.method == "POST" and form.is_valid():
        # A profile edit is a plain ModelForm save: no business rule beyond validation.
        with transaction.atomic():
            form.save()
        messages.success(request, _("Congregation saved."))
        return redirect(congregation)
    return render(request, "congregations/edit.html", {"form": form, "congregation": congregation})
