"""Reads of issues, campaigns and targets.

Campaigns, issues, targets and commitments are public campaign information: every signed-in role
sees them network-wide (DESIGN.md: leaders see "public campaign/action info"). Who may *change* a
campaign is `can_manage_campaign`; who may create them, `access.is_organizing_staff`.
"""

from django.db.models import Count, Q, QuerySet

from conect import access

from .models import (
    PROMISE_ANSWERS,
    Campaign,
    CampaignStageChange,
    Commitment,
    CommitmentStatus,
    Target,
)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.select_related("issue", "lead_organizer")
    return campaigns if access.signed_in(user) else campaigns.none()


def targets_visible_to(user) -> QuerySet[Target]:
    targets = Target.objects.all()
    return targets if access.signed_in(user) else targets.none()


def targets_with_scorecard(user) -> QuerySet[Target]:
    """Targets annotated with their asks, the promises among them (a yes or a partial yes) and
    how those promises stand: kept + broken + open = promised, so kept never exceeds promised,
    and a "no" counts as an ask, never as an open promise."""
    promised = Q(commitments__answer__in=PROMISE_ANSWERS)
    return targets_visible_to(user).annotate(
        asks=Count("commitments"),
        yes_count=Count("commitments", filter=Q(commitments__answer="yes")),
        promised_count=Count("commitments", filter=promised),
        kept_count=Count(
            "commitments", filter=promised & Q(commitments__status=CommitmentStatus.KEPT)
        ),
        broken_count=Count(
            "commitments", filter=promised & Q(commitments__status=CommitmentStatus.BROKEN)
        ),
        open_count=Count(
            "commitments", filter=promised & Q(commitments__status=CommitmentStatus.OPEN)
        ),
    )


def commitments_visible_to(user) -> QuerySet[Commitment]:
    commitments = Commitment.objects.select_related("target", "campaign", "action")
    return commitments if access.signed_in(user) else commitments.none()


def actions_involving_q(user) -> Q | None:
    """Which actions involve `user`, as a filter on actions: one of their congregations takes
    part, they scheduled it, or they lead its campaign. None: every action (the whole network).
    (Actions live a floor up; commitments and actions.selectors both need the rule.)"""
    ids = access.visible_congregation_ids(user)
    if ids is None:
        return None
    if not access.signed_in(user):
        return Q(pk__in=[])
    return Q(congregations__in=ids) | Q(created_by=user.pk) | Q(campaign__lead_organizer=user.pk)


def campaigns_involving(user) -> QuerySet[Campaign]:
    """Campaigns one of `user`'s congregations takes part in, or that they lead."""
    ids = access.visible_congregation_ids(user)
    if ids is None:
        return campaigns_visible_to(user)
    if not access.signed_in(user):
        return Campaign.objects.none()
    involved = Campaign.objects.filter(Q(congregations__in=ids) | Q(lead_organizer=user.pk))
    return campaigns_visible_to(user).filter(pk__in=involved.values("pk"))


def commitments_involving(user) -> QuerySet[Commitment]:
    """The commitments `user` may change if their role allows (mark kept or broken): every one
    for the whole network; otherwise those of a campaign or an action that involves them, and
    those they recorded. The others are public to read and out of scope to change (404)."""
    commitments = commitments_visible_to(user)
    actions_q = actions_involving_q(user)
    if actions_q is None:
        return commitments
    if not access.signed_in(user):
        return commitments.none()
    actions = Commitment.action.field.related_model._default_manager.filter(actions_q)
    return commitments.filter(
        Q(recorded_by=user.pk)
        | Q(campaign__in=campaigns_involving(user).values("pk"))
        | Q(action__in=actions.values("pk"))
    )


def stage_history(campaign) -> QuerySet[CampaignStageChange]:
    return campaign.stage_history.select_related("changed_by")


def can_manage_campaign(user, campaign: Campaign) -> bool:
    """Admins, network-wide organizers, the lead organizer, and organizers of a participating
    congregation may change a campaign."""
    if not access.is_organizing_staff(user):
        return False
    if access.sees_whole_network(user) or campaign.lead_organizer_id == user.pk:
        return True
    return campaigns_involving(user).filter(pk=campaign.pk).exists()
