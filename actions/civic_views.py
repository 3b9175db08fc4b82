"""Pages for civic participation: a registration drive's counts, pledge-to-vote cards at an
action, and the election-day lists per congregation (actions.civic holds the rules)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from conect import access
from congregations.selectors import congregations_visible_to
from members.selectors import people_visible_to

from . import civic, selectors
from .civic_forms import ElectionForm, PledgeCardForm, RegistrationDriveForm
from .models import Action, ActionKind, Election


def _action(request, pk, **lookup) -> Action:
    """404 if the user may not see the action, 403 if their role does not record turnout."""
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk, **lookup)
    if not access.is_staff_or_lead(request.user):
        raise PermissionDenied
    return action


@require_http_methods(["GET", "POST"])
def registration_drive(request, pk):
    action = _action(request, pk, kind=ActionKind.REGISTRATION_DRIVE)
    current = getattr(action, "registration_result", None)
    initial = (
        {"forms_registered": current.forms_registered, "people_helped": current.people_helped}
        if current
        else None
    )
    form = RegistrationDriveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        civic.registration_drive_record(action=action, by=request.user, **form.cleaned_data)
        messages.success(request, _("Registration drive results recorded."))
        return redirect(action)
    return render(request, "actions/registration_drive.html", {"action": action, "form": form})


@require_http_methods(["GET", "POST"])
def pledge_cards(request, pk):
    action = _action(request, pk)
    attendees = people_visible_to(request.user).filter(attendances__action=action).distinct()
    form = PledgeCardForm(
        request.POST or None,
        elections=civic.elections_upcoming(),
        people=attendees.order_by("last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        _card, created = civic.pledge_card_collect(
            action=action, by=request.user, **form.cleaned_data
        )
        if created:
            messages.success(request, _("Pledge card recorded."))
        else:
            messages.info(request, _("They had already pledged for this election."))
        return redirect("actions:pledge_cards", pk=action.pk)
    context = {"action": action, "form": form, "count": civic.cards_at(action).count()}
    return render(request, "actions/pledge_cards.html", context)


@require_http_methods(["GET", "POST"])
def elections(request):
    if not access.is_staff_or_lead(request.user):
        raise PermissionDenied
    form = ElectionForm(request.POST or None)
    if request.method == "POST":
        if not access.is_organizing_staff(request.user):
            raise PermissionDenied
        if form.is_valid():
            civic.election_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("Election added."))
            return redirect("actions:elections")
    tallies: dict[int, list] = {}
    for row in civic.pledge_tallies(request.user):
        tallies.setdefault(row["election_id"], []).append(row)
    listed = [(election, tallies.get(election.pk, [])) for election in Election.objects.all()[:20]]
    context = {
        "elections": listed,
        "form": form,
        "can_add": access.is_organizing_staff(request.user),
    }
    return render(request, "actions/elections.html", context)


@require_http_methods(["GET", "POST"])
def election_day(request, pk, slug):
    """Pledged, not yet confirmed voted: mark who voted, or make everyone left a follow-up."""
    election = get_object_or_404(Election, pk=pk)
    congregation = get_object_or_404(congregations_visible_to(request.user), slug=slug)
    if not access.is_staff_or_lead(request.user):
        raise PermissionDenied
    cards = civic.election_day_list(request.user, election, congregation)
    if request.method == "POST":
        if "voted" in request.POST:
            voted = request.POST["voted"]
            card = get_object_or_404(cards, pk=int(voted) if voted.isdigit() else 0)
            civic.pledge_voted_confirm(card=card, by=request.user)
            messages.success(request, _("%(name)s voted.") % {"name": card.person.full_name})
        else:
            n = civic.election_day_followups(cards=cards, election=election, by=request.user)
            messages.success(
                request,
                ngettext("%(n)d follow-up created for you.", "%(n)d follow-ups created for you.", n)
                % {"n": n},
            )
        return redirect("actions:election_day", pk=election.pk, slug=congregation.slug)
    context = {"election": election, "congregation": congregation, "cards": cards}
    return render(request, "actions/election_day.html", context)
