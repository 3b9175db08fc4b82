from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conect import access
from congregations.selectors import congregations_visible_to
from members.selectors import people_visible_to, with_primary_congregation
from relationships.selectors import issues_offered

from . import services
from .cycle import cycle_nodes
from .forms import (
    CampaignForm,
    CommitmentForm,
    CommitmentStatusForm,
    IssueForm,
    ResearchActionForm,
    StageChangeForm,
    TargetForm,
)
from .models import Stage
from .selectors import (
    campaigns_visible_to,
    can_manage_campaign,
    commitments_involving,
    commitments_visible_to,
    stage_history,
    targets_with_scorecard,
)


def _require_manager(user):
    if not access.is_organizing_staff(user):
        raise PermissionDenied


def _campaign_to_manage(user, pk):
    """The campaign, or 404 if the user may not see it; 403 if they see it but may not change it."""
    campaign = get_object_or_404(campaigns_visible_to(user), pk=pk)
    if not can_manage_campaign(user, campaign):
        raise PermissionDenied
    return campaign


@require_GET
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).annotate(n_actions=Count("actions"))
    by_stage = [(stage, [c for c in campaigns if c.stage == stage]) for stage in Stage]
    context = {"by_stage": by_stage, "can_manage": access.is_organizing_staff(request.user)}
    return render(request, "campaigns/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
def issue_create(request):
    """Create an issue, optionally from the listening roll-up (?from_issue_heard=<id>)."""
    _require_manager(request.user)
    initial = {}
    heard_id = request.GET.get("from_issue_heard", "")
    if heard_id.isdigit():
        # Only issues still offered in the listening roll-up; a retired one starts a blank form.
        heard = issues_offered().filter(pk=int(heard_id)).first()
        if heard:
            initial = {
                "name": str(heard),
                "heard_from_id": heard.pk,
                "heard_from_label": str(heard),
            }
    form = IssueForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.issue_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("Issue created. Now give it a campaign."))
        return redirect("campaigns:create")
    return render(request, "campaigns/issue_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    _require_manager(request.user)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        congregations=congregations_visible_to(request.user),
        people=people_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create(by=request.user, **form.cleaned_data)
        return redirect(campaign)
    context = {"form": form, "chosen": _chosen(form, "leaders"), "picker_field": "leaders"}
    return render(request, "campaigns/campaign_form.html", context)


def _chosen(form, name, default=()):
    """People picked in a type-ahead field, to show them ticked again when the form returns."""
    if not form.is_bound:
        return with_primary_congregation(form.fields[name].queryset.filter(pk__in=default))
    ids = [i for i in form.data.getlist(name) if i.isdigit()][:500]
    return with_primary_congregation(form.fields[name].queryset.filter(pk__in=ids))


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = _campaign_to_manage(request.user, pk)
    people = people_visible_to(request.user)
    team = list(campaign.leaders.values_list("pk", flat=True))
    initial = {
        "name": campaign.name,
        "issue": campaign.issue_id,
        "goal": campaign.goal,
        "congregations": list(campaign.congregations.values_list("pk", flat=True)),
        "lead_organizer": campaign.lead_organizer_id,
    }
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        congregations=congregations_visible_to(request.user),
        people=people,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        hidden = campaign.leaders.exclude(pk__in=people.values("pk"))
        services.campaign_update(
            campaign=campaign, by=request.user, kept_leaders=hidden, **form.cleaned_data
        )
        messages.success(request, _("Campaign saved."))
        return redirect(campaign)
    context = {
        "form": form,
        "campaign": campaign,
        "chosen": _chosen(form, "leaders", team),
        "picker_field": "leaders",
    }
    return render(request, "campaigns/campaign_form.html", context)


@require_GET
def campaign_detail(request, pk):
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    history = list(stage_history(campaign))
    visits: dict[str, int] = {}
    for change in history:
        visits[change.to_stage] = visits.get(change.to_stage, 0) + 1
    timeline = sorted(
        [("stage", c.changed_at.date(), c) for c in history]
        + [("research", r.held_on, r) for r in campaign.research_actions.select_related("target")]
        + [("action", a.starts_at.date(), a) for a in campaign.actions.all()],
        key=lambda item: item[1],
        reverse=True,
    )
    context = {
        "campaign": campaign,
        "nodes": cycle_nodes(campaign.stage, visits),
        "history": history,
        "timeline": timeline,
        "congregations": campaign.congregations.order_by("name"),
        # The team's size is public; names only of the people this user may see.
        "team": people_visible_to(request.user).filter(campaign_teams=campaign),
        "team_size": campaign.leaders.count(),
        "commitments": commitments_visible_to(request.user).filter(campaign=campaign),
        "can_manage": can_manage_campaign(request.user, campaign),
        "stage_form": StageChangeForm(initial={"to_stage": campaign.next_stage}),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_POST
def campaign_stage(request, pk):
    campaign = _campaign_to_manage(request.user, pk)
    form = StageChangeForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_stage_change(campaign=campaign, by=request.user, **form.cleaned_data)
            messages.success(request, _("The campaign moved on in the cycle."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Say why the campaign is moving on."))
    return redirect(campaign)


@require_http_methods(["GET", "POST"])
def research_create(request, pk):
    campaign = _campaign_to_manage(request.user, pk)
    people = people_visible_to(request.user)
    form = ResearchActionForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        services.research_action_record(campaign=campaign, by=request.user, **form.cleaned_data)
        return redirect(campaign)
    chosen = _chosen(form, "who_went")
    team = with_primary_congregation(people.filter(campaign_teams=campaign)).exclude(
        pk__in=[p.pk for p in chosen]
    )
    context = {
        "form": form,
        "campaign": campaign,
        "chosen": chosen,
        "team": team[:30],
        "picker_field": "who_went",
    }
    return render(request, "campaigns/research_form.html", context)


@require_GET
def target_list(request):
    targets = targets_with_scorecard(request.user).order_by("name")
    context = {"targets": targets, "can_manage": access.is_organizing_staff(request.user)}
    return render(request, "campaigns/target_list.html", context)


@require_http_methods(["GET", "POST"])
def target_create(request):
    _require_manager(request.user)
    form = TargetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = services.target_create(
            **{name: data[name] for name in ("name", "office", "jurisdiction", "public_contact")}
        )
        return redirect(target)
    return render(request, "campaigns/target_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def target_detail(request, pk):
    """The accountability page: every ask, the answer, and whether the promise was kept."""
    target = get_object_or_404(targets_with_scorecard(request.user), pk=pk)
    can_manage = access.is_organizing_staff(request.user)
    form = CommitmentForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.commitment_record(target=target, by=request.user, **form.cleaned_data)
            return redirect(target)
    changeable = set()
    if can_manage:  # the status form shows on the commitments that involve the user
        changeable = set(
            commitments_involving(request.user).filter(target=target).values_list("pk", flat=True)
        )
    context = {
        "target": target,
        "changeable": changeable,
        "commitments": commitments_visible_to(request.user).filter(target=target),
        "research": target.research_actions.select_related("campaign"),
        "form": form,
        "status_form": CommitmentStatusForm(),
        "can_manage": can_manage,
    }
    return render(request, "campaigns/target_detail.html", context)


@require_POST
def commitment_status(request, pk):
    # Out of scope (no such commitment, or one that does not involve the user) is a 404 before
    # the role's 403.
    commitment = get_object_or_404(commitments_involving(request.user), pk=pk)
    _require_manager(request.user)
    form = CommitmentStatusForm(request.POST, commitment=commitment)
    if form.is_valid():
        services.commitment_set_status(commitment=commitment, by=request.user, **form.cleaned_data)
        messages.success(request, _("Commitment updated."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(commitment.target)
