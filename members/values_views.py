"""Pages for CONECT's values in the members app: a person's self-identified demographics and
voter registration, and the equity report (docs/values.md). Thin, like views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from conect import access
from congregations.selectors import congregations_visible_to

from . import demographics, equity
from .forms import DemographicsForm, VoterRegistrationForm
from .models import AuditEvent, VoterRegistration
from .selectors import people_visible_to
from .services import audit_log


def _person(request, pk, allowed) -> object:
    """404 outside the user's scope, then 403 for a role the page is not for."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    if not allowed(request.user):
        raise PermissionDenied
    return person


@require_http_methods(["GET", "POST"])
def person_demographics(request, pk):
    person = _person(request, pk, access.is_organizing_staff)
    if request.method == "POST" and "withdraw" in request.POST:
        demographics.demographics_withdraw(person=person, by=request.user)
        messages.success(request, _("Deleted: consent withdrawn."))
        return redirect(person)
    form = DemographicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        demographics.demographics_record(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Recorded, with their consent."))
        return redirect(person)
    current = demographics.demographics_read(person=person, by=request.user)
    if current is not None and not form.is_bound:
        form = DemographicsForm(
            initial={"groups": current.groups, "self_described": current.self_described}
        )
    context = {"person": person, "form": form, "current": current}
    return render(request, "members/person_demographics.html", context)


@require_http_methods(["GET", "POST"])
def person_voter_registration(request, pk):
    person = _person(request, pk, access.is_staff_or_lead)
    current = VoterRegistration.objects.filter(person=person).first()
    initial = {"asked_on": timezone.localdate(), "town": person.town}
    if current is not None:
        initial |= {"status": current.status, "town": current.town}
    form = VoterRegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        demographics.voter_registration_record(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Voter registration recorded."))
        return redirect(person)
    context = {"person": person, "form": form, "current": current}
    return render(request, "members/person_voter_registration.html", context)


@require_GET
def equity_report(request):
    """Ladder level × group (now, and leaders over four quarters), small counts suppressed."""
    if not equity.report_allowed(request.user):
        raise PermissionDenied
    congregations = congregations_visible_to(request.user).order_by("name")
    congregation = None
    if request.GET.get("congregation"):
        congregation = get_object_or_404(congregations, slug=request.GET["congregation"])
    audit_log(
        by=request.user,
        action=AuditEvent.Action.VIEW_SENSITIVE,
        where="equity report",
        congregation=congregation.slug if congregation else "",
    )
    ladder = equity.ladder_by_group(request.user, congregation)
    context = {
        "congregations": congregations.only("name", "slug"),
        "congregation": congregation,
        "whole_network": access.sees_whole_network(request.user),
        "ladder": ladder,
        "trend": equity.leaders_trend(request.user, congregation),
        "shared": ladder.totals[-1],  # None when suppressed, like any count under 5
        "people": equity.people_in_view(request.user, congregation),
        "threshold": equity.SUPPRESS_BELOW,
    }
    return render(request, "members/equity_report.html", context)
