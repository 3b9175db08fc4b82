"""Writes for issues, campaigns, research actions, targets and commitments."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    PROMISE_ANSWERS,
    Campaign,
    CampaignStageChange,
    Commitment,
    CommitmentStatus,
    Issue,
    ResearchAction,
    Stage,
    Target,
)


@transaction.atomic
def issue_create(
    *,
    name: str,
    by,
    description: str = "",
    heard_from_id: int | None = None,
    heard_from_label: str = "",
) -> Issue:
    """An issue, optionally from the listening roll-up's "issue heard" (kept as a link)."""
    return Issue.objects.create(
        name=name.strip(),
        description=description,
        heard_from_id=heard_from_id,
        heard_from_label=heard_from_label[:120],
        created_by=by,
    )


@transaction.atomic
def campaign_create(
    *,
    name: str,
    issue: Issue,
    goal: str,
    by,
    congregations=(),
    lead_organizer=None,
    leaders=(),
    stage: str = Stage.RELATE,
) -> Campaign:
    """A campaign starts somewhere in the cycle; its first history row says where and who."""
    now = timezone.now()
    campaign = Campaign.objects.create(
        name=name.strip(),
        issue=issue,
        goal=goal,
        lead_organizer=lead_organizer,
        stage=stage,
        stage_changed_at=now,
        created_at=now,
    )
    campaign.congregations.set(congregations)
    campaign.leaders.set(leaders)
    CampaignStageChange.objects.create(
        campaign=campaign, from_stage="", to_stage=stage, changed_by=by, changed_at=now
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    by,
    name: str,
    issue: Issue,
    goal: str,
    congregations=(),
    lead_organizer=None,
    leaders=(),
    kept_leaders=(),
) -> Campaign:
    """Change a campaign's name, issue, goal, congregations, lead organizer and team. Team
    members the editor may not see (`kept_leaders`, computed by the caller) stay on the team;
    the stage moves only through `campaign_stage_change`."""
    campaign.name, campaign.issue, campaign.goal = name.strip(), issue, goal
    campaign.lead_organizer = lead_organizer
    campaign.save(update_fields=["name", "issue", "goal", "lead_organizer"])
    campaign.congregations.set(congregations)
    campaign.leaders.set([*leaders, *kept_leaders])
    return campaign


@transaction.atomic
def campaign_stage_change(*, campaign: Campaign, to_stage: str, by, reason: str = "") -> Campaign:
    """Move a campaign one step around the cycle (relate → listen → research → act → evaluate →
    relate). Any other move is refused: skipping research is how campaigns lose."""
    # Lock the row so two organizers pressing "next" at once make one step, not two.
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    expected = Stage.next_after(locked.stage)
    if to_stage != expected:
        raise ValidationError(
            _("A campaign in %(current)s moves on to %(next)s, not %(asked)s.")
            % {
                "current": Stage(locked.stage).label,
                "next": expected.label,
                "asked": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    if not reason.strip():
        raise ValidationError(_("Say why the campaign is moving on."))
    now = timezone.now()
    CampaignStageChange.objects.create(
        campaign=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        reason=reason.strip(),
        changed_by=by,
        changed_at=now,
    )
    locked.stage, locked.stage_changed_at = to_stage, now
    locked.save(update_fields=["stage", "stage_changed_at"])
    return locked


@transaction.atomic
def research_action_record(
    *,
    campaign: Campaign,
    held_on: datetime.date,
    met_with: str,
    by,
    target: Target | None = None,
    who_went=(),
    questions: str = "",
    findings: str = "",
) -> ResearchAction:
    """A meeting with an official or expert, and which leaders went."""
    research = ResearchAction.objects.create(
        campaign=campaign,
        held_on=held_on,
        met_with=met_with,
        target=target,
        questions=questions,
        findings=findings,
        recorded_by=by,
    )
    research.who_went.set(who_went)
    return research


@transaction.atomic
def target_create(*, name: str, office: str, jurisdiction: str, public_contact: str = "") -> Target:
    """A target by name, office and jurisdiction; the same three again return the existing one."""
    target, _created = Target.objects.get_or_create(
        name=name.strip(),
        office=office.strip(),
        jurisdiction=jurisdiction.strip(),
        defaults={"public_contact": public_contact},
    )
    return target


@transaction.atomic
def commitment_record(
    *,
    target: Target,
    ask: str,
    answer: str,
    by,
    campaign: Campaign | None = None,
    action=None,
    due_on: datetime.date | None = None,
) -> Commitment:
    """What a target was asked in public and what they answered."""
    if action is not None and campaign is None:
        campaign = action.campaign
    return Commitment.objects.create(
        target=target,
        campaign=campaign,
        action=action,
        ask=ask,
        answer=answer,
        due_on=due_on,
        recorded_by=by,
    )


def commitment_status_check(*, status: str, evidence: str, answer: str = "") -> None:
    """Kept or broken needs evidence (a vote, a budget line, a letter): accountability is public.
    Only a promise (a yes or a partial yes; `answer`, when known) can be kept or broken.
    Raises ValidationError on the field at fault, so forms (the page's, the admin's) can show it."""
    if status != CommitmentStatus.OPEN and answer and answer not in PROMISE_ANSWERS:
        raise ValidationError(
            {"status": _("Only a promise (a yes or a partial yes) can be kept or broken.")}
        )
    if status != CommitmentStatus.OPEN and not evidence.strip():
        raise ValidationError(
            {"evidence": _("Give the evidence that the promise was kept or broken.")}
        )


@transaction.atomic
def commitment_set_status(*, commitment: Commitment, status: str, evidence: str, by) -> Commitment:
    """Mark a commitment open, kept or broken, with its evidence, recording who and when."""
    commitment_status_check(status=status, evidence=evidence, answer=commitment.answer)
    commitment.status = status
    commitment.evidence = evidence.strip()
    commitment.status_changed_at = timezone.now()
    commitment.status_changed_by = by
    commitment.save(update_fields=["status", "evidence", "status_changed_at", "status_changed_by"])
    return commitment
