"""The seed_demo step for campaigns and actions."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from actions.models import Action, Attendance, Evaluation, TurnoutPledge
from campaigns.models import Campaign, CampaignStageChange, Commitment, Issue, Stage, Target

pytestmark = pytest.mark.django_db


def test_seed_fills_the_cycle(demo_network):
    assert demo_network.people == 400
    assert "200 actions" in demo_network.out
    assert set(Campaign.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Issue.objects.count() == 8 and Target.objects.count() == 15
    # Every campaign's history ends where the campaign is.
    for campaign in Campaign.objects.all():
        last = CampaignStageChange.objects.filter(campaign=campaign).order_by("-changed_at").first()
        assert last.to_stage == campaign.stage
    assert Action.objects.exclude(kind="registration_drive").count() == 200  # + issue 14's drive
    assert (
        not TurnoutPledge.objects.values("action", "congregation")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert Attendance.objects.filter(checked_in_at__isnull=False).exists()
    assert Evaluation.objects.filter(kind="group").count() > 100
    assert Commitment.objects.filter(status="kept").exists()


def test_same_seed_same_actions(capsys):
    """The campaigns and actions steps share one random sequence: a seed gives the same rows."""

    def rows():
        return (
            list(Action.objects.order_by("id").values_list("title", "starts_at", "place")),
            list(Attendance.objects.order_by("id").values_list("rsvp", "checked_in_at")),
            list(Commitment.objects.order_by("id").values_list("ask", "answer", "status")),
        )

    call_command("seed_demo", "--force", "--people", "200", "--seed", "7")
    first = rows()
    call_command("seed_demo", "--force", "--people", "200", "--seed", "7", "--reset")
    assert rows() == first
    # --reset wiped the first run's campaigns and actions before making them again.
    assert Action.objects.count() == 201 and Campaign.objects.count() == 10
