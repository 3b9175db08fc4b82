"""Relational meetings: thin views over relationships.selectors and relationships.services."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conect import access
from congregations.selectors import congregations_visible_to
from members.selectors import (
    is_selective,
    name_order,
    people_visible_to,
    with_primary_congregation,
)

from . import reports, services
from .forms import NEW_PERSON, HouseMeetingForm, OneOnOneForm, PeriodFilterForm
from .models import IssueHeard
from .selectors import (
    follow_up_buckets,
    follow_ups_of,
    follow_ups_open,
    house_meetings_visible_to,
    local_today,
    one_on_ones_visible_to,
)

PAGE_SIZE = 50
RECENT_DAYS = 30
SEARCH_LIMIT = 8


@require_GET
def person_search(request):
    """Type-ahead for the one-on-one form: up to 8 people the user may see, plus "new"."""
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if len(query) >= 2:
        found = people_visible_to(request.user)
        for word in query.split()[:3]:
            found = found.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
        order = name_order("last_name", "first_name", "id", matches_first=is_selective(query))
        people = with_primary_congregation(found.order_by(*order))
        people = people[:SEARCH_LIMIT]
    multi = request.GET.get("multi") == "1"  # house-meeting attendees: checkboxes
    context = {"people": people, "query": query, "new_value": NEW_PERSON, "multi": multi}
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


@require_GET
def follow_up_list(request):
    today = local_today()
    week_end = today + datetime.timedelta(days=7)
    buckets = follow_up_buckets(follow_ups_open(request.user, until=week_end), today)
    buckets["later"] = follow_ups_open(request.user).filter(due_on__gt=week_end).count()
    context = {"buckets": buckets, "today": today}
    return render(request, "relationships/follow_up_list.html", context)


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
    form = PeriodFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rollup = reports.listening_rollup(request.user, **filters)
    return render(request, "relationships/listening.html", {"form": form, "rollup": rollup})


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


@require_GET
def relationship_map(request):
    form = PeriodFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    graph = reports.relationship_graph(request.user, **filters)
    return render(request, "relationships/map.html", {"form": form, "graph": graph})
