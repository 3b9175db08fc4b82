"""The cycle of organizing: stage changes are validated and recorded with who, when and why."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import CampaignStageChange, CommitmentStatus, Stage, Target
from campaigns.services import (
    campaign_create,
    campaign_stage_change,
    commitment_set_status,
    issue_create,
)
from tests.campaigns.factories import CampaignFactory, CommitmentFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_stages_form_a_cycle():
    assert [Stage.next_after(s) for s in Stage] == [
        Stage.LISTEN,
        Stage.RESEARCH,
        Stage.ACT,
        Stage.EVALUATE,
        Stage.RELATE,
    ]


def test_create_records_the_first_stage(organizer, congregation):
    issue = issue_create(name="Housing", by=organizer)
    campaign = campaign_create(
        name="Safe homes",
        issue=issue,
        goal="200 units",
        by=organizer,
        congregations=[congregation],
        stage=Stage.LISTEN,
    )
    (row,) = campaign.stage_history.all()
    assert (row.from_stage, row.to_stage, row.changed_by) == ("", Stage.LISTEN, organizer)


def test_a_full_turn_of_the_cycle_is_recorded(organizer):
    campaign = CampaignFactory(stage=Stage.RELATE)
    for stage in [Stage.LISTEN, Stage.RESEARCH, Stage.ACT, Stage.EVALUATE, Stage.RELATE]:
        campaign = campaign_stage_change(
            campaign=campaign, to_stage=stage, by=organizer, reason=f"ready for {stage}"
        )
    history = list(CampaignStageChange.objects.filter(campaign=campaign).order_by("id"))
    assert [(h.from_stage, h.to_stage) for h in history] == [
        ("relate", "listen"),
        ("listen", "research"),
        ("research", "act"),
        ("act", "evaluate"),
        ("evaluate", "relate"),
    ]
    assert all(h.changed_by == organizer and h.changed_at and h.reason for h in history)
    campaign.refresh_from_db()
    assert campaign.stage == Stage.RELATE


@pytest.mark.parametrize("bad", [Stage.RESEARCH, Stage.ACT, Stage.RELATE, "nonsense"])
def test_skipping_a_stage_is_refused(organizer, bad):
    campaign = CampaignFactory(stage=Stage.RELATE)
    with pytest.raises(ValidationError):
        campaign_stage_change(campaign=campaign, to_stage=bad, by=organizer, reason="x")
    campaign.refresh_from_db()
    assert campaign.stage == Stage.RELATE
    assert not campaign.stage_history.exists()


def test_a_reason_is_required(organizer):
    campaign = CampaignFactory(stage=Stage.RELATE)
    with pytest.raises(ValidationError):
        campaign_stage_change(campaign=campaign, to_stage=Stage.LISTEN, by=organizer, reason=" ")


def test_issue_keeps_the_link_to_what_was_heard(organizer):
    issue = issue_create(name="Wages", by=organizer, heard_from_id=7, heard_from_label="wage theft")
    assert (issue.heard_from_id, issue.heard_from_label) == (7, "wage theft")


def test_target_has_no_partisan_fields():
    names = {f.name for f in Target._meta.get_fields()}
    assert not names & {"party", "candidate", "political_party", "is_candidate"}
    assert IssueFactory()  # factories work


def test_commitment_status_records_who_and_needs_evidence(organizer):
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError):
        commitment_set_status(commitment=commitment, status="kept", evidence=" ", by=organizer)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN and commitment.status_changed_by is None
    commitment_set_status(commitment=commitment, status="broken", evidence="Vetoed", by=organizer)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.status_changed_by) == ("broken", organizer)
    assert commitment.status_changed_at is not None
