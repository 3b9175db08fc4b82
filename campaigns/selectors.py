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


def stage_history(campaign) -> QuerySet[CampaignStageChange]:
    return campaign.stage_history.select_related("changed_by")


def can_manage_campaign(user, campaign: Campaign) -> bool:
    """Admins, network-wide organizers, the lead organizer, and organizers of a participating
    congregation may change a campaign."""
    if not access.is_organizing_staff(user):
        return False
    if access.sees_whole_network(user) or campaign.lead_organizer_id == user.pk:
        return True
    ids = access.visible_congregation_ids(user)
    return ids is None or campaign.congregations.filter(pk__in=ids).exists()
