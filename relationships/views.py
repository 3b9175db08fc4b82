"""Relational meetings: thin views over relationships.selectors and relationships.services."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conect import access
from conect.fragments import rendered_body
from conect.ladder import LEADER_LEVELS
from congregations.selectors import congregations_visible_to
from members.selectors import (
    is_selective,
    name_order,
    people_visible_to,
    with_primary_congregation,
)

from . import network, reports, services, trends
from .forms import (
    NEW_PERSON,
    FollowUpChangeForm,
    FollowUpForm,
    HouseMeetingForm,
    OneOnOneForm,
    PeriodFilterForm,
)
from .models import IssueHeard
from .selectors import (
    follow_up_buckets,
    follow_up_owners_for,
    follow_ups_changeable_by,
    follow_ups_of,
    follow_ups_open,
    house_meetings_visible_to,
    leaders_follow_ups,
    local_today,
    one_on_ones_visible_to,
)

PAGE_SIZE = 50
RECENT_DAYS = 30
SEARCH_LIMIT = 8


# The type-ahead's checkbox names, one per form that picks several people.
MULTI_FIELDS = {"attendees", "leaders", "who_went"}


@require_GET
def person_search(request):
    """Type-ahead for every person picker: up to 8 people the user may see (`levels=leaders`:
    leaders and up), each told apart by congregation, town, ladder level and the phone's last
    digits; plus "new" for the one-on-one form. `multi=1&name=<field>` gives checkboxes."""
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if len(query) >= 2:
        found = people_visible_to(request.user)
        if request.GET.get("levels") == "leaders":
            found = found.filter(level__in=LEADER_LEVELS)
        for word in query.split()[:3]:
            found = found.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
        order = name_order("last_name", "first_name", "id", matches_first=is_selective(query))
        people = with_primary_congregation(found.order_by(*order))
        people = people[:SEARCH_LIMIT]
    name = request.GET.get("name", "attendees")
    context = {
        "people": people,
        "query": query,
        "new_value": NEW_PERSON,
        "multi": request.GET.get("multi") == "1",
        "field": name if name in MULTI_FIELDS else "attendees",
        "offer_new": request.GET.get("new") != "0",
    }
    return render(request, "relationships/_person_choices.html", context)


@require_http_methods(["GET", "POST"])
def one_on_one_new(request):
    form = OneOnOneForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = services.one_on_one_log(by=request.user, **form.log_arguments())
        messages.success(request, _("One-on-one with %(name)s saved.") % {"name": meeting.person})
        return redirect(meeting)
    chosen, suggested = None, []
    if form.is_bound and form.data.get("person", "").isdigit():
        chosen = with_primary_congregation(form.people).filter(pk=form.data["person"]).first()
    elif not form.is_bound:  # people I owe a follow-up this week: one tap, no typing
        due = follow_ups_open(request.user, until=local_today() + datetime.timedelta(days=7))
        suggested = with_primary_congregation(
            form.people.filter(pk__in=due.values("person_id")).order_by("last_name")
        )[:SEARCH_LIMIT]
    context = {"form": form, "chosen": chosen, "suggested": suggested, "new_value": NEW_PERSON}
    return render(request, "relationships/one_on_one_form.html", context, status=200)


@require_GET
def one_on_one_detail(request, pk):
    meeting = get_object_or_404(
        one_on_ones_visible_to(request.user).prefetch_related("issues"), pk=pk
    )
    follow_ups = follow_ups_of(request.user).filter(
        source_type__model="oneonone", source_id=meeting.pk
    )
    services.meeting_notes_read(meetings=[meeting], by=request.user)
    context = {"meeting": meeting, "follow_ups": follow_ups}
    return render(request, "relationships/one_on_one_detail.html", context)


@require_GET
def one_on_one_list(request):
    meetings = one_on_ones_visible_to(request.user).prefetch_related("issues")
    if request.GET.get("mine") != "0":
        meetings = meetings.filter(author=request.user)
    page = Paginator(meetings.order_by("-held_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "relationships/one_on_one_list.html", {"page": page})


LEADERS_OVERDUE_SHOWN = 20


@require_GET
def follow_up_list(request):
    today = local_today()
    if request.GET.get("show") == "all":  # "N more later": every open follow-up, paged
        page = Paginator(follow_ups_open(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        for follow_up in page:
            follow_up.days_late = (today - follow_up.due_on).days
        return render(request, "relationships/follow_up_all.html", {"page": page})

    def build() -> dict:
        week_end = today + datetime.timedelta(days=7)
        buckets: dict[str, Any] = follow_up_buckets(
            follow_ups_open(request.user, until=week_end), today
        )
        buckets["later"] = follow_ups_open(request.user).filter(due_on__gt=week_end).count()
        leaders_late = leaders_follow_ups(request.user).filter(due_on__lt=today)
        shown = list(leaders_late[:LEADERS_OVERDUE_SHOWN])
        for follow_up in shown:
            follow_up.days_late = (today - follow_up.due_on).days  # type: ignore[attr-defined]
        return {
            "buckets": buckets,
            "today": today,
            "leaders_overdue": shown,
            "leaders_overdue_count": leaders_late.count() if shown else 0,
            "sees_leaders": access.is_staff_or_lead(request.user),
        }

    # Cached until a follow-up (or anything relational) is written: conect.fragments.
    body = rendered_body(
        request,
        "follow-ups",
        ("relational", "people"),
        "relationships/_follow_up_list_body.html",
        build,
        parts=[today],
    )
    return render(request, "relationships/follow_up_list.html", {"body": body})


@require_http_methods(["GET", "POST"])
def follow_up_new(request):
    """A follow-up by hand, for anyone in scope (from /follow-ups/ or a person's page)."""
    initial = {"person": request.GET.get("person", "")}
    form = FollowUpForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follow_up = services.followup_add(
            by=request.user, person=data["person_obj"], due_on=data["due_on"], note=data["note"]
        )
        messages.success(request, _("Follow-up with %(name)s added.") % {"name": follow_up.person})
        return redirect("relationships:follow_up_list")
    chosen_id = form.data.get("person") if form.is_bound else initial["person"]
    chosen = None
    if chosen_id and str(chosen_id).isdigit():
        chosen = with_primary_congregation(form.people).filter(pk=chosen_id).first()
    return render(request, "relationships/follow_up_form.html", {"form": form, "chosen": chosen})


@require_http_methods(["GET", "POST"])
def follow_up_edit(request, pk):
    """Reschedule a follow-up, rewrite its note, or hand it to someone whose scope includes the
    person: the owner, or a lead for the follow-ups of their congregation's leaders."""
    follow_up = get_object_or_404(follow_ups_changeable_by(request.user), pk=pk)
    if follow_up.done_at is not None:
        raise PermissionDenied  # what is done stays as it was
    owners = follow_up_owners_for(follow_up.person)
    if follow_up.owner not in owners:
        owners.insert(0, follow_up.owner)
    initial = {"due_on": follow_up.due_on, "note": follow_up.note, "owner": follow_up.owner_id}
    form = FollowUpChangeForm(request.POST or None, initial=initial, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_change(follow_up=follow_up, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("owner", error)
        else:
            messages.success(
                request, _("Follow-up with %(name)s saved.") % {"name": follow_up.person}
            )
            return redirect("relationships:follow_up_list")
    context = {"form": form, "follow_up": follow_up}
    return render(request, "relationships/follow_up_edit.html", context)


@require_POST
def follow_up_done(request, pk):
    follow_up = get_object_or_404(follow_ups_of(request.user), pk=pk)
    services.followup_complete(follow_up=follow_up, outcome=request.POST.get("outcome", ""))
    if request.htmx:
        return render(request, "relationships/_follow_up_done.html", {"follow_up": follow_up})
    messages.success(request, _("Follow-up with %(name)s done.") % {"name": follow_up.person})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("relationships:follow_up_list")  # never an open redirect
    return redirect(back)


@require_GET
def house_meeting_list(request):
    meetings = house_meetings_visible_to(request.user).prefetch_related("issues")
    page = Paginator(meetings.order_by("-held_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "relationships/house_meeting_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def house_meeting_new(request):
    form = HouseMeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = services.house_meeting_log(by=request.user, **form.log_arguments())
        messages.success(request, _("House meeting saved."))
        return redirect(meeting)
    chosen = []
    if form.is_bound:
        ids = [i for i in form.data.getlist("attendees") if i.isdigit()][:200]
        chosen = with_primary_congregation(form.fields["attendees"].queryset.filter(pk__in=ids))
    context = {"form": form, "chosen_attendees": chosen}
    return render(request, "relationships/house_meeting_form.html", context)


@require_GET
def house_meeting_detail(request, pk):
    meeting = get_object_or_404(
        house_meetings_visible_to(request.user).prefetch_related("issues"), pk=pk
    )
    attendees = with_primary_congregation(
        people_visible_to(request.user).filter(house_meetings=meeting)
    ).order_by("last_name", "first_name")
    hidden = meeting.attendees.count() - len(attendees)
    services.meeting_notes_read(meetings=[meeting], by=request.user)
    context = {"meeting": meeting, "attendees": attendees, "hidden_attendees": hidden}
    return render(request, "relationships/house_meeting_detail.html", context)


@require_GET
def congregation_one_on_ones(request, slug):
    """The line on a congregation's page (loaded by htmx): its one-on-ones in the last 30 days."""
    congregation = get_object_or_404(congregations_visible_to(request.user), slug=slug)
    if not access.is_staff_or_lead(request.user):
        raise PermissionDenied  # leaders see a congregation's profile, not its relational work
    since = local_today() - datetime.timedelta(days=RECENT_DAYS)
    meetings = one_on_ones_visible_to(request.user).filter(congregation=congregation)
    context = {"recent_one_on_ones": meetings.filter(held_on__gte=since).count()}
    return render(request, "relationships/_congregation_one_on_ones.html", context)


@require_GET
def listening(request):
    def build() -> dict:
        form = PeriodFilterForm(request.GET or None, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        return {"form": form, "rollup": reports.listening_rollup(request.user, **filters)}

    # The roll-up and its filter form, cached until a meeting (or a person) is written.
    body = rendered_body(
        request,
        "listening",
        ("relational", "people"),
        "relationships/_listening_body.html",
        build,
        parts=[local_today()],
    )
    return render(request, "relationships/listening.html", {"body": body})


@require_GET
def listening_meetings(request):
    """Drill-down: the meetings where an issue was heard (notes hidden per the privacy rule)."""
    issue_id = request.GET.get("issue", "")
    issue = get_object_or_404(IssueHeard, pk=int(issue_id) if issue_id.isdigit() else 0)
    form = PeriodFilterForm(request.GET, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    month = request.GET.get("month", "")
    one_on_ones, house_meetings = reports.listening_meetings(
        request.user, issue=issue, month=month, **filters
    )
    services.meeting_notes_read(meetings=one_on_ones, by=request.user)  # their first lines show
    context = {
        "issue": issue,
        "month": month,
        "one_on_ones": one_on_ones,
        "house_meetings": house_meetings,
    }
    return render(request, "relationships/listening_meetings.html", context)


MAP_SEARCH_LIMIT = 8


def _map_period(request) -> tuple[PeriodFilterForm, dict]:
    form = PeriodFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"since": filters.get("since"), "until": filters.get("until")}


@require_GET
def relationship_map(request):
    """The map page: the network of congregations (or, with ?congregation= / ?person=, one
    congregation or one person's network), the search, and the ranked bridge people. The graph
    itself comes from the JSON endpoints below, drawn by the vendored Cytoscape.js."""
    person_id = request.GET.get("person", "")
    if person_id.isdigit():  # out of scope: a 404 before any cache is asked
        get_object_or_404(people_visible_to(request.user), pk=person_id)
    body = rendered_body(
        request,
        "map",
        ("people", "relational"),
        "relationships/_map_body.html",
        lambda: _map_context(request),
    )
    return render(request, "relationships/map.html", {"body": body})


def _map_context(request) -> dict:
    form, span = _map_period(request)
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    congregation = form.cleaned_data.get("congregation") if form.is_valid() else None
    person_id = request.GET.get("person", "")
    focus, source = None, reverse("relationships:map_network")
    if person_id.isdigit():
        focus = get_object_or_404(people_visible_to(user), pk=person_id)
        source = reverse("relationships:map_person", args=[focus.pk])
    elif congregation is not None:
        focus = congregation
        source = reverse("relationships:map_congregation", args=[congregation.slug])
    dates = urlencode({k: v.isoformat() for k, v in span.items() if v})
    if dates:
        source += "?" + dates
    return {
        "form": form,
        "query": query,
        "found": network.find_people(user, query, MAP_SEARCH_LIMIT) if query else None,
        "focus": focus,
        "focus_is_person": bool(focus is not None and person_id.isdigit()),
        "source": source,
        "period_query": dates,
    }


@require_GET
def map_bridges(request):
    """The map page's ranked bridge people (loaded by htmx once the page is up)."""
    _form, span = _map_period(request)
    context = {"bridges": network.bridge_people(request.user, **span)}
    return render(request, "relationships/_map_bridges.html", context)


@require_GET
def map_network(request):
    """JSON: the congregations the user may see and the one-on-ones between them."""
    _form, span = _map_period(request)
    return JsonResponse(network.network_view(request.user, **span))


@require_GET
def map_congregation(request, slug):
    """JSON: one congregation's most connected people and their ties (404 outside scope)."""
    congregation = get_object_or_404(congregations_visible_to(request.user), slug=slug)
    _form, span = _map_period(request)
    return JsonResponse(network.congregation_view(request.user, congregation, **span))


@require_GET
def map_person(request, pk):
    """JSON: one person's own network (404 when the person is outside the user's scope)."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    _form, span = _map_period(request)
    return JsonResponse(network.ego_view(request.user, person, **span))


@require_GET
def one_on_ones_over_time(request):
    """The reports page's panel (loaded by htmx): one-on-ones per month per congregation and per
    staff organizer, within the user's scope."""
    data = trends.one_on_ones_over_time(request.user)
    sections = [
        (_("Per congregation"), data["congregations"]),
        (_("Per organizer"), data["organizers"]),
    ]
    context = {"trends": data, "sections": sections}
    return render(request, "relationships/_one_on_ones_over_time.html", context)
