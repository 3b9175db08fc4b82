import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conect import access
from conect.config import site_url
from conect.fragments import rendered_body
from conect.ladder import Level
from conect.spreadsheet import neutralise
from congregations.selectors import congregations_visible_to
from members.selectors import people_visible_to

from . import selectors, services
from .calendar_feed import feed_for
from .charts import grouped_bars
from .forms import (
    ActionForm,
    AttendanceAfterForm,
    EvaluationForm,
    InviteForm,
    PledgeForm,
    WalkInForm,
)
from .interfaith import calendar_warnings
from .models import EvaluationKind, Rsvp
from .reports import REPORTS, commitments_report, stages_report, turnout_report

PAGE_SIZE = 30
# The return to relationships runs on a worker (a sweep every few minutes if the queue was down).
FOLLOW_UPS_COMING = gettext_lazy(
    "Group evaluation recorded. Within a few minutes, each attendee nobody has met one-on-one "
    "in a year becomes a follow-up for their congregation's lead."
)
RSVP_CHOICES = [Rsvp.YES, Rsvp.MAYBE, Rsvp.NO]


def _action_for(request, pk, *, may):
    """The action, refused by the one rule: 404 if the user may not see it, 403 if their role
    may not do what `may` asks of it."""
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    if not may(request.user):
        raise PermissionDenied
    return action


def _action_to_change(request, pk):
    """An action to edit or evaluate: 404 unless it involves the user (one of their
    congregations takes part, they scheduled it, they lead its campaign; the whole network for
    admins and network-wide organizers), then 403 unless their role manages actions."""
    action = get_object_or_404(selectors.actions_involving(request.user), pk=pk)
    if not access.is_organizing_staff(request.user):
        raise PermissionDenied
    return action


def _series():
    return [
        ("pledged", _("Pledged"), "#9db4d3"),
        ("rsvp", _("RSVP'd"), "#f2a900"),
        ("actual", _("Actual"), "#1d4e89"),
    ]


@require_GET
def action_list(request):
    actions = selectors.actions_visible_to(request.user).order_by("-starts_at")
    now = timezone.now()
    upcoming = actions.filter(ends_at__gte=now).order_by("starts_at")[:50]
    overdue = request.GET.get("evaluation") == "overdue"  # the user's actions not evaluated
    past = selectors.evaluations_owed(request.user) if overdue else actions.filter(ends_at__lt=now)
    context = {
        "upcoming": [] if overdue else upcoming,
        "past": Paginator(past, PAGE_SIZE).get_page(request.GET.get("page")),
        "overdue": overdue,
        "can_manage": access.is_organizing_staff(request.user),
    }
    return render(request, "actions/action_list.html", context)


@require_http_methods(["GET", "POST"])
def action_create(request):
    if not access.is_organizing_staff(request.user):
        raise PermissionDenied
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        action = services.action_create(by=request.user, **form.cleaned_data)
        _warn(request, action)
        return redirect(action)
    return render(request, "actions/action_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = _action_to_change(request, pk)
    initial = {
        **{f: getattr(action, f) for f in ("kind", "title", "campaign", "place", "agenda")},
        "starts_at": timezone.localtime(action.starts_at),
        "ends_at": timezone.localtime(action.ends_at),
        "turnout_goal": action.turnout_goal,
        "congregations": list(action.congregations.all()),
    }
    form = ActionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.action_update(action=action, **form.cleaned_data)
        _warn(request, action)
        return redirect(action)
    warnings = calendar_warnings(action.starts_at, action.ends_at, initial["congregations"])
    context = {"form": form, "action": action, "warnings": warnings}
    return render(request, "actions/action_form.html", context)


def _warn(request, action):
    for warning in calendar_warnings(action.starts_at, action.ends_at, action.congregations.all()):
        names = ", ".join(c.name for c in warning.congregations) or _(
            "no participating congregation"
        )
        messages.warning(request, f"{warning.reason}: {names}")


@require_GET
def action_warnings(request):
    """htmx: the interfaith calendar warnings for the times and congregations being scheduled."""
    form = ActionForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    warnings = []
    if data.get("starts_at"):
        warnings = calendar_warnings(
            data["starts_at"],
            data.get("ends_at") or data["starts_at"],
            data.get("congregations", []),
        )
    return render(request, "actions/_warnings.html", {"warnings": warnings})


@require_GET
def action_detail(request, pk):
    """An action: its turnout, pledges, evaluation and commitments. The action is read every
    time (the title, and a 404 before any cache); the rest is a cached fragment dropped by any
    write to actions or people (a check-in at the door too: conect.fragments)."""
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    body = rendered_body(
        request,
        "action",
        ("actions", "people"),
        "actions/_action_detail_body.html",
        lambda: _action_context(request, action),
        parts=[timezone.localdate()],
    )
    return render(request, "actions/action_detail.html", {"action": action, "body": body})


def _action_context(request, action) -> dict:
    turnout = selectors.action_turnout(request.user, action)
    rows = [{**r, "name": r["congregation"].name} for r in turnout["rows"]]
    pledge_congregations = selectors.pledge_congregations(request.user, action)
    # The congregations the user may pledge for, read with the turnout (for the form's list).
    choices = turnout["visible"] if access.is_staff_or_lead(request.user) else []
    evaluation = selectors.evaluation_status(action)
    # Asked whether or not the evaluation is recorded: a page's query count must not depend on
    # its data (tests/bench/test_query_counts.py).
    followups = selectors.followups_created(request.user, action, group=evaluation["group"])
    context = {
        "action": action,
        "turnout": turnout,
        "chart": grouped_bars(rows, _series(), "name"),
        "evaluation": evaluation,
        "followups": followups,
        "commitments": action.commitments.select_related("target"),
        "pledge_form": _pledge_form(pledge_congregations, choices, turnout["rows"]),
        "can_pledge": bool(choices),
        "can_manage": access.is_organizing_staff(request.user)
        and selectors.involves(request.user, action),
        "can_check_in": access.is_staff_or_lead(request.user),
        "warnings": calendar_warnings(action.starts_at, action.ends_at, turnout["participating"]),
    }
    return context


def _pledge_form(congregations, choices, rows):
    """A lead of one congregation has it chosen already, with their current pledge. `choices`:
    the congregations, read once (the page needs them for whether to show the form too)."""
    initial = {}
    if len(choices) == 1:
        pledged = {r["congregation"].pk: r["pledged"] for r in rows}
        only = choices[0]
        initial = {"congregation": only.pk, "pledged": pledged.get(only.pk) or None}
    form = PledgeForm(congregations=congregations, initial=initial)
    field = form.fields["congregation"]
    field.choices = [("", field.empty_label), *((c.pk, c.name) for c in choices)]
    return form


@require_POST
def pledge(request, pk):
    action = _action_for(request, pk, may=access.is_staff_or_lead)
    form = PledgeForm(
        request.POST, congregations=selectors.pledge_congregations(request.user, action)
    )
    if form.is_valid():
        services.pledge_set(action=action, by=request.user, **form.cleaned_data)
        messages.success(request, _("Pledge recorded."))
    else:
        messages.error(
            request,
            _("The pledge was not recorded: choose one of your congregations and a number."),
        )
    return redirect(action)


@require_http_methods(["GET", "POST"])
def invite(request, pk):
    action = _action_for(request, pk, may=access.is_staff_or_lead)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        congregations=congregations_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = _invite_filter(people_visible_to(request.user), data)
        n = services.attendance_invite(
            action=action, people=people, congregation=data["congregation"], by=request.user
        )
        messages.success(request, _("%(n)s people invited.") % {"n": n})
        return redirect("actions:invite", pk=action.pk)
    invitees = (
        selectors.attendance_visible_to(request.user)
        .filter(action=action)
        .select_related("person", "congregation")
        .order_by("person__last_name", "person__first_name", "id")
    )
    answer = request.GET.get("rsvp", "")
    if answer in Rsvp.values:  # ?rsvp=invited: the call list, those who have not answered
        invitees = invitees.filter(rsvp=answer)
    page = Paginator(invitees, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "action": action,
        "page": page,
        "choices": RSVP_CHOICES,
        "answer": answer if answer in Rsvp.values else "",
    }
    return render(request, "actions/invite.html", context)


@require_POST
def rsvp(request, pk, person_pk):
    """Record what an invitee answered (htmx: swaps their row)."""
    person = get_object_or_404(people_visible_to(request.user), pk=person_pk)  # 404 before 403
    action = _action_for(request, pk, may=access.is_staff_or_lead)
    answer = request.POST.get("rsvp", "")
    if answer not in Rsvp.values:
        return HttpResponse(status=400)
    attendance = services.attendance_rsvp(action=action, person=person, rsvp=answer)
    if request.htmx:
        context = {"action": action, "attendance": attendance, "choices": RSVP_CHOICES}
        return render(request, "actions/_invitee.html", context)
    return redirect("actions:invite", pk=action.pk)


def _invite_filter(people, data):
    people = people.filter(memberships__congregation=data["congregation"])
    if data.get("tag"):
        people = people.filter(tags=data["tag"])
    if data.get("level"):
        rungs = [value for value, _label in Level.choices]
        people = people.filter(level__in=rungs[rungs.index(data["level"]) :])
    return people.filter(do_not_contact=False).distinct()


def _door(request, pk):
    """The action whose door the user works: staff and leads check people in."""
    return _action_for(request, pk, may=access.is_staff_or_lead)


def _door_context(action) -> dict:
    """Whether the door is open, and what to say when it is not (the service's refusal)."""
    try:
        services.door_check(action)
    except ValidationError as refusal:
        return {"door_open": False, "door_message": " ".join(refusal.messages)}
    return {"door_open": True}


@require_GET
def check_in(request, pk):
    action = _door(request, pk)
    context = {
        "action": action,
        "checked_in": selectors.checked_in_count(action),
        "walk_in_form": _walk_in_form(request.user),
        **_door_context(action),
    }
    return render(request, "actions/check_in.html", context)


@require_GET
def check_in_search(request, pk):
    action = _door(request, pk)
    door = _door_context(action)
    if not door["door_open"]:
        return render(request, "actions/_door_closed.html", {"action": action, **door})
    query = request.GET.get("q", "").strip()[:60]
    people = selectors.door_search(request.user, action, query) if len(query) >= 3 else []
    context = {"action": action, "people": people, "query": query}
    return render(request, "actions/_check_in_results.html", context)


@require_POST
def check_in_person(request, pk, person_pk):
    person = get_object_or_404(people_visible_to(request.user), pk=person_pk)  # 404 before 403
    action = _door(request, pk)
    try:
        attendance, now = services.attendance_check_in(
            action=action, person=person, by=request.user
        )
    except ValidationError as refusal:
        message = " ".join(refusal.messages)
        if request.htmx:
            context = {"action": action, "person": person, "door_message": message}
            return render(request, "actions/_check_in_refused.html", context)
        messages.error(request, message)
        return redirect("actions:check_in", pk=action.pk)
    context = {
        "action": action,
        "person": person,
        "attendance": attendance,
        "now": now,
        "checked_in": selectors.checked_in_count(action),
    }
    if request.htmx:
        return render(request, "actions/_checked_in.html", context)
    return redirect("actions:check_in", pk=action.pk)


def _walk_in_form(user):
    """A blank walk-in form; a lead with one congregation has it chosen already (one tap less)."""
    congregations = congregations_visible_to(user).order_by("name")
    only = list(congregations[:2])
    initial = {"congregation": only[0].pk} if len(only) == 1 else {}
    return WalkInForm(congregations=congregations, initial=initial)


@require_POST
def walk_in(request, pk):
    action = _door(request, pk)
    congregations = congregations_visible_to(request.user).order_by("name")
    form = WalkInForm(request.POST, congregations=congregations)
    if not form.is_valid():
        return render(request, "actions/_walk_in.html", {"action": action, "walk_in_form": form})
    data = form.cleaned_data
    try:
        attendance, person = services.attendance_walk_in(
            action=action,
            first_name=data["first_name"],
            last_name=data["last_name"],
            congregation=data["congregation"],
            email=form.email,
            phone=form.phone,
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "actions/_walk_in.html", {"action": action, "walk_in_form": form})
    context = {
        "action": action,
        "walk_in_form": _walk_in_form(request.user),
        "added": person,
        "checked_in": selectors.checked_in_count(action),
    }
    return render(request, "actions/_walk_in.html", context)


@require_http_methods(["GET", "POST"])
def attendance_after(request, pk):
    """Attendance after the fact: a lead or organizer records who came, once the action has
    ended (audited; door check-in is for the action itself)."""
    action = _action_for(request, pk, may=access.is_staff_or_lead)
    form = AttendanceAfterForm(
        request.POST if request.method == "POST" else None, people=people_visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            n = services.attendance_record_after(
                action=action, by=request.user, **form.cleaned_data
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            message = ngettext(
                "Attendance recorded for %(n)s person.", "Attendance recorded for %(n)s people.", n
            )
            messages.success(request, message % {"n": n})
            return redirect("actions:attendance_after", pk=action.pk)
    query = request.GET.get("q", "").strip()[:60]
    context = {
        "action": action,
        "form": form,
        "query": query,
        "found": selectors.door_search(request.user, action, query) if len(query) >= 3 else [],
        "recorded": selectors.recorded_after(request.user, action),
        "checked_in": selectors.checked_in_count(action),
    }
    return render(request, "actions/attendance_after.html", context)


@require_http_methods(["GET", "POST"])
def evaluate(request, pk):
    action = _action_to_change(request, pk)
    kind = request.GET.get("kind") or request.POST.get("kind") or EvaluationKind.GROUP
    if kind not in EvaluationKind.values:
        raise Http404
    initial = {
        "kind": kind,
        "held_on": timezone.localdate(),
        "turnout": selectors.checked_in_count(action),
        "asks_answered": selectors.asks_summary(action),
    }
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        action=action,
        people=people_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(action=action, by=request.user, **form.cleaned_data)
            if kind == EvaluationKind.GROUP:
                messages.success(request, FOLLOW_UPS_COMING)
            else:
                messages.success(request, _("Evaluation recorded."))
            return redirect(action)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "action": action,
        "form": form,
        "kind": EvaluationKind(kind),
        "evaluation": selectors.evaluation_status(action),
    }
    return render(request, "actions/evaluate.html", context)


@require_GET
def followups_created(request, pk):
    """htmx: the follow-ups the group evaluation created; polled while its task is running."""
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    context = {"action": action, "followups": selectors.followups_created(request.user, action)}
    return render(request, "actions/_followups_created.html", context)


@require_GET
def congregation_turnout(request, slug):
    """htmx partial for the congregation page: pledged vs actual, last six actions."""
    congregation = get_object_or_404(congregations_visible_to(request.user), slug=slug)
    history = selectors.congregation_turnout_history(request.user, congregation)
    rows = [{**h, "name": h["action"].title} for h in history]
    series = [s for s in _series() if s[0] != "rsvp"]
    context = {
        "history": history,
        "chart": grouped_bars(rows, series, "name"),
        "congregation": congregation,
    }
    return render(request, "actions/_congregation_turnout.html", context)


@require_http_methods(["GET", "POST"])
def calendar_subscribe(request):
    """A GET only shows the address; a POST makes it, or replaces it if there is one."""
    feed = selectors.calendar_feed_of(request.user)
    if request.method == "POST":
        if feed is None:
            services.calendar_feed_create(by=request.user)
        else:
            services.calendar_feed_rotate(by=request.user)
            messages.success(request, _("New calendar link made; the old one no longer works."))
        return redirect("actions:calendar")
    url = None
    if feed is not None:
        url = site_url(reverse("actions:ics") + f"?token={feed.token}")
    return render(request, "actions/calendar.html", {"url": url})


@login_not_required
@require_GET
def calendar_ics(request):
    """The subscription feed: public action info only (title, time, place, kind), by token."""
    feed = selectors.calendar_feed_for_token(request.GET.get("token", ""))
    if feed is None:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=180)
    actions = selectors.actions_visible_to(feed.user).filter(starts_at__gte=since)
    body = feed_for(actions, site_url("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@require_GET
def reports(request):
    _h, turnout = turnout_report(request.user)
    recent = {}
    for quarter, _name, pledged, actual in turnout:
        totals = recent.setdefault(quarter, {"label": quarter, "pledged": 0, "actual": 0})
        totals["pledged"] += pledged
        totals["actual"] += actual
    quarters = list(recent.values())[-8:]
    _h, commitments = commitments_report(request.user)
    _h, stages = stages_report(request.user)
    context = {
        "turnout_chart": grouped_bars(quarters, [s for s in _series() if s[0] != "rsvp"], "label"),
        "commitments_chart": grouped_bars(
            [{"label": r[0], "asks": r[2], "kept": r[4]} for r in commitments[:15]],
            [("asks", _("Asks"), "#9db4d3"), ("kept", _("Kept"), "#1d4e89")],
            "label",
        ),
        "stages_chart": grouped_bars(
            [{"label": r[0], "n": r[1]} for r in stages],
            [("n", _("Campaigns"), "#f2a900")],
            "label",
        ),
    }
    return render(request, "actions/reports.html", context)


@require_GET
def report_csv(request, name):
    if name not in REPORTS:
        raise Http404
    header, rows = REPORTS[name](request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conect-{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return response
