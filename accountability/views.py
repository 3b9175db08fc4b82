"""Panels loaded by htmx into the pages of lower floors (the action, its evaluation, the house
meeting, the person, the lead's home), and the form that records a commitment from each."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from actions.selectors import actions_visible_to, upcoming_actions
from members.selectors import people_visible_to
from relationships.selectors import house_meetings_visible_to, local_today

from . import selectors, services
from .forms import LeaderCommitmentForm
from .models import CommitmentKind, MadeAt

LIST_LENGTH = 30
BRING_HORIZON_DAYS = 120  # how far ahead an action may be chosen for "bring N people"


def _form(request, initial, *, bound=True):
    user = request.user
    return LeaderCommitmentForm(
        request.POST if bound and request.method == "POST" else None,
        initial=initial,
        leaders=selectors.leaders_recordable_by(user),
        actions=upcoming_actions(user, days=BRING_HORIZON_DAYS).order_by("starts_at", "id"),
    )


def _record(request, *, initial, made_at, back, **source):
    """(a redirect to send or None, the form to show, whether one was recorded). A POST records
    through the service; htmx gets the panel back with a fresh form, a plain post goes back to
    the page (or, with errors, to a page of its own)."""
    form = _form(request, initial)
    if request.method != "POST" or not form.is_valid():
        return None, form, False
    try:
        services.leader_commitment_make(
            made_at=made_at, by=request.user, **source, **form.cleaned_data
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None, form, False
    if not request.htmx:
        messages.success(request, _("Commitment recorded."))
        return redirect(back), form, True
    return None, _form(request, initial, bound=False), True


def _panel(request, context):
    full_page = request.method == "POST" and not request.htmx
    template = "accountability/record.html" if full_page else "accountability/_panel.html"
    return render(request, template, context)


def _listed(user, where: Q):
    commitments = selectors.with_progress(selectors.commitments_visible_to(user))
    return commitments.filter(where).order_by("due_on", "id")[:LIST_LENGTH]


@require_http_methods(["GET", "POST"])
def action_panel(request, pk):
    """The action page's panel (and, with ?at=evaluation, the evaluation page's): what the
    leaders said they'd bring and how many came, and the form to record a commitment."""
    action = get_object_or_404(actions_visible_to(request.user), pk=pk)
    at = request.POST.get("made_at") or request.GET.get("at")
    made_at = MadeAt.EVALUATION if at == MadeAt.EVALUATION else MadeAt.ACTION
    initial = {} if action.has_ended else {"kind": CommitmentKind.BRING, "action": action.pk}
    back = action.get_absolute_url() + ("evaluate/" if made_at == MadeAt.EVALUATION else "")
    done, form, recorded = _record(
        request, initial=initial, made_at=made_at, back=back, source_action=action
    )
    if done:
        return done
    context = {
        "form": form,
        "recorded": recorded,
        "post_url": request.path,
        "made_at": made_at,
        "summary": selectors.bring_summary(request.user, action),
        "action": action,
        "commitments": _listed(request.user, Q(source_action=action) | Q(action=action)),
        "back": back,
    }
    return _panel(request, context)


@require_http_methods(["GET", "POST"])
def house_meeting_panel(request, pk):
    """The house meeting page's panel: commitments made there, and the form."""
    meeting = get_object_or_404(house_meetings_visible_to(request.user), pk=pk)
    back = meeting.get_absolute_url()
    done, form, recorded = _record(
        request,
        initial={"kind": CommitmentKind.HOUSE_MEETING, "target": 1},
        made_at=MadeAt.HOUSE_MEETING,
        back=back,
        source_house_meeting=meeting,
    )
    if done:
        return done
    context = {
        "form": form,
        "recorded": recorded,
        "post_url": request.path,
        "made_at": MadeAt.HOUSE_MEETING,
        "commitments": _listed(request.user, Q(source_house_meeting=meeting)),
        "back": back,
    }
    return _panel(request, context)


@require_GET
def person_panel(request, pk):
    """The person page's panel: the leader's commitments, open ones first, with the counts."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    mine = selectors.commitments_visible_to(request.user).filter(person=person)
    context = {
        "person": person,
        "counts": selectors.status_counts(mine),
        "commitments": selectors.with_progress(mine).order_by("-status", "-due_on", "-id")[
            :LIST_LENGTH
        ],
        "today": local_today(),
    }
    return render(request, "accountability/_person_panel.html", context)


@require_GET
def leaders_panel(request):
    """The lead's home panel: each leader of their congregations with open, kept and broken."""
    mine = selectors.commitments_visible_to(request.user)
    context = {
        "counts": selectors.status_counts(mine),
        "leaders": selectors.leaders_commitment_table(request.user),
    }
    return render(request, "accountability/_leaders_panel.html", context)
