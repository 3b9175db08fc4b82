"""Campaign and target pages per DESIGN's view checklist."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Commitment, Issue, Stage
from campaigns.services import campaign_create, campaign_stage_change
from relationships.models import IssueHeard
from tests.campaigns.factories import CampaignFactory, CommitmentFactory, TargetFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/campaigns/", "/targets/", "/campaigns/new/", "/targets/new/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_wrong_method(client, login, organizer):
    campaign = CampaignFactory()
    login(client, organizer)
    assert client.post(reverse("campaigns:list")).status_code == 405
    assert client.post(campaign.get_absolute_url()).status_code == 405
    assert client.get(reverse("campaigns:stage", args=[campaign.pk])).status_code == 405


def test_unknown_campaign_and_target_are_404(client, login, organizer):
    login(client, organizer)
    assert client.get("/campaigns/99999/").status_code == 404
    assert client.get("/targets/99999/").status_code == 404


def test_every_role_sees_campaigns(client, login, leader):
    campaign = CampaignFactory(name="Safe homes", stage=Stage.RESEARCH)
    login(client, leader)
    assert "Safe homes" in client.get(reverse("campaigns:list")).content.decode()
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "<svg" in body and 'data-stage="research"' in body
    assert "Move on to" not in body  # a leader may not change it


def test_campaign_page_draws_the_cycle_with_history(client, login, organizer, congregation):
    campaign = campaign_create(
        name="Safe homes",
        issue=Issue.objects.create(name="Housing"),
        goal="200 units",
        by=organizer,
        congregations=[congregation],
    )
    campaign_stage_change(
        campaign=campaign,
        to_stage=Stage.LISTEN,
        by=organizer,
        reason="100 one-on-ones done",
    )
    body = login(client, organizer).get(campaign.get_absolute_url()).content.decode()
    assert 'class="cycle-node cycle-current" data-stage="listen"' in body
    assert "100 one-on-ones done" in body and "Move on to Research" in body


def test_stage_change_through_the_page(client, login, organizer, congregation):
    campaign = CampaignFactory(congregations=[congregation])
    login(client, organizer)
    url = reverse("campaigns:stage", args=[campaign.pk])
    client.post(url, {"to_stage": "act", "reason": "skip"})  # invalid: skipping
    campaign.refresh_from_db()
    assert campaign.stage == Stage.RELATE
    client.post(url, {"to_stage": "listen", "reason": "ready"})
    campaign.refresh_from_db()
    assert campaign.stage == Stage.LISTEN
    assert campaign.stage_history.get().changed_by == organizer


def test_organizer_of_other_congregations_cannot_change_stage(
    client, login, organizer, other_congregation
):
    campaign = CampaignFactory(congregations=[other_congregation])
    response = login(client, organizer).post(
        reverse("campaigns:stage", args=[campaign.pk]), {"to_stage": "listen", "reason": "x"}
    )
    assert response.status_code == 403


def test_lead_cannot_create_campaigns(client, login, lead):
    login(client, lead)
    assert client.get(reverse("campaigns:create")).status_code == 403
    assert client.get(reverse("campaigns:issue_create")).status_code == 403


def test_create_issue_then_campaign(client, login, organizer, congregation):
    login(client, organizer)
    assert client.post(reverse("campaigns:issue_create"), {"name": "Housing"}).status_code == 302
    bad = client.post(reverse("campaigns:issue_create"), {"name": "housing"})
    assert bad.status_code == 200 and "already an issue" in bad.content.decode()
    issue = Issue.objects.get()
    response = client.post(
        reverse("campaigns:create"),
        {
            "name": "Safe homes",
            "issue": issue.pk,
            "goal": "200 units",
            "stage": "listen",
            "congregations": [congregation.pk],
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.stage == "listen" and list(campaign.congregations.all()) == [congregation]
    invalid = client.post(reverse("campaigns:create"), {"name": "", "issue": issue.pk})
    assert invalid.status_code == 200 and Campaign.objects.count() == 1


def test_issue_from_the_listening_roll_up(client, login, organizer):
    heard = IssueHeard.objects.create(name="rent increases")
    login(client, organizer)
    page = client.get(reverse("campaigns:issue_create"), {"from_issue_heard": heard.pk})
    assert "rent increases" in page.content.decode()
    client.post(
        reverse("campaigns:issue_create") + f"?from_issue_heard={heard.pk}",
        {"name": "Rent", "heard_from_id": heard.pk, "heard_from_label": "rent increases"},
    )
    issue = Issue.objects.get()
    assert (issue.heard_from_id, issue.heard_from_label) == (heard.pk, "rent increases")
    assert (
        client.get(reverse("campaigns:issue_create"), {"from_issue_heard": "x"}).status_code == 200
    )


def test_research_action_on_the_timeline(client, login, organizer, congregation):
    campaign = CampaignFactory(congregations=[congregation])
    login(client, organizer)
    url = reverse("campaigns:research_create", args=[campaign.pk])
    assert client.post(url, {"held_on": "bad"}).status_code == 200
    client.post(
        url,
        {
            "held_on": "2026-02-03",
            "met_with": "Housing Authority director",
            "findings": "Waitlist is 4 years",
        },
    )
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "Housing Authority director" in body and "Waitlist is 4 years" in body


def test_target_accountability_page(client, login, organizer, leader):
    target = TargetFactory(name="Mayor Rivera")
    CommitmentFactory(
        target=target,
        ask="Fund 200 units",
        answer="yes",
        status="kept",
        evidence="FY27 budget line 14",
    )
    CommitmentFactory(target=target, ask="Meet quarterly", answer="partial")
    body = login(client, leader).get(target.get_absolute_url()).content.decode()
    assert "Fund 200 units" in body and "FY27 budget line 14" in body
    assert "2 asks · 2 promised · 1 kept · 0 broken · 1 still open" in body
    assert "Record an ask" not in body


def test_scorecard_never_shows_more_kept_than_promised(client, login, organizer):
    """Partial promises kept are promises kept; a "no" is not a promise, so it is neither open nor
    kept (issue 13: Grace Mensah showed 5 answered yes and 9 promises kept)."""
    target = TargetFactory(name="Grace Mensah")
    CommitmentFactory(target=target, answer="yes", status="kept", evidence="Vote")
    CommitmentFactory(target=target, answer="partial", status="kept", evidence="Half funded")
    CommitmentFactory(target=target, answer="partial", status="open")
    CommitmentFactory(target=target, answer="no")
    login(client, organizer)
    body = client.get(target.get_absolute_url()).content.decode()
    assert "4 asks · 3 promised · 2 kept · 0 broken · 1 still open" in body
    listed = client.get(reverse("targets:list")).context["targets"]
    (row,) = [t for t in listed if t.pk == target.pk]
    assert (row.promised_count, row.kept_count, row.open_count) == (3, 2, 1)
    assert row.kept_count + row.broken_count + row.open_count == row.promised_count


def test_a_no_cannot_be_marked_kept(client, login, organizer):
    commitment = CommitmentFactory(answer="no")
    url = reverse("targets:commitment_status", args=[commitment.pk])
    login(client, organizer).post(url, {"status": "kept", "evidence": "A vote"})
    commitment.refresh_from_db()
    assert commitment.status == "open" and not commitment.is_open_promise
    body = client.get(commitment.target.get_absolute_url()).content.decode()
    assert f'action="{url}"' not in body  # no status form for a refusal


def test_record_ask_and_status(client, login, organizer, leader):
    target = TargetFactory()
    login(client, organizer)
    assert client.post(target.get_absolute_url(), {"ask": "", "answer": "yes"}).status_code == 200
    client.post(
        target.get_absolute_url(), {"ask": "Fund it", "answer": "yes", "due_on": "2026-12-01"}
    )
    commitment = Commitment.objects.get()
    url = reverse("targets:commitment_status", args=[commitment.pk])
    client.post(url, {"status": "kept", "evidence": ""})  # evidence required
    commitment.refresh_from_db()
    assert commitment.status == "open"
    client.post(url, {"status": "kept", "evidence": "Council vote 9-0"})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.evidence) == ("kept", "Council vote 9-0")
    assert commitment.status_changed_by == organizer and commitment.status_changed_at
    client.force_login(leader)
    # Neither a campaign nor an action of the leader's congregation: not theirs to see changed.
    assert client.post(url, {"status": "broken", "evidence": "x"}).status_code == 404
    assert client.post(target.get_absolute_url(), {"ask": "x", "answer": "no"}).status_code == 403


def test_lists_query_count_is_flat(client, login, organizer, django_assert_max_num_queries):
    login(client, organizer)
    for _ in range(3):
        CommitmentFactory(target=TargetFactory())
        CampaignFactory()
    with django_assert_max_num_queries(8):
        client.get(reverse("campaigns:list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("targets:list"))
    for _ in range(30):
        CommitmentFactory(target=TargetFactory())
        CampaignFactory()
    with django_assert_max_num_queries(8):
        client.get(reverse("campaigns:list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("targets:list"))


def test_leaders_team_and_who_went(client, login, organizer, congregation, other_congregation):
    mine = PersonFactory(first_name="Keisha", level="leader", congregation=congregation)
    theirs = PersonFactory(first_name="Zebulon", level="core_team", congregation=other_congregation)
    issue = Issue.objects.create(name="Housing")
    login(client, organizer)
    client.post(
        reverse("campaigns:create"),
        {
            "name": "Homes",
            "issue": issue.pk,
            "goal": "200",
            "stage": "relate",
            "leaders": [mine.pk],
            "congregations": [congregation.pk],
        },
    )
    campaign = Campaign.objects.get()
    assert list(campaign.leaders.all()) == [mine]
    bad = client.post(
        reverse("campaigns:create"),
        {"name": "X", "issue": issue.pk, "goal": "1", "stage": "relate", "leaders": [theirs.pk]},
    )
    assert bad.status_code == 200 and Campaign.objects.count() == 1  # out of scope
    campaign.leaders.add(theirs)
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "team (2)" in body and "Keisha" in body and "Zebulon" not in body
    client.post(
        reverse("campaigns:research_create", args=[campaign.pk]),
        {"held_on": "2026-02-03", "met_with": "Housing director", "who_went": [mine.pk]},
    )
    assert list(campaign.research_actions.get().who_went.all()) == [mine]


def test_refusals_unknown_is_404_before_the_roles_403(client, login, leader, congregation):
    campaign = CampaignFactory(congregations=[congregation])
    commitment = CommitmentFactory(campaign=campaign)
    login(client, leader)
    # In scope (campaigns are public to every role, the commitment is of their congregation's
    # campaign) but not theirs to change.
    assert client.post(reverse("campaigns:stage", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("campaigns:research_create", args=[campaign.pk])).status_code == 403
    status_url = reverse("targets:commitment_status", args=[commitment.pk])
    assert client.post(status_url, {"status": "kept", "evidence": "x"}).status_code == 403
    # No such object: 404 whatever the role.
    assert client.post(reverse("campaigns:stage", args=[99999])).status_code == 404
    assert client.get(reverse("campaigns:research_create", args=[99999])).status_code == 404
    unknown = reverse("targets:commitment_status", args=[99999])
    assert client.post(unknown, {"status": "kept", "evidence": "x"}).status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_unknown_objects_are_404_for_organizers_too(client, login, organizer):
    login(client, organizer)
    assert client.post(reverse("campaigns:stage", args=[99999])).status_code == 404
    assert client.get(reverse("campaigns:research_create", args=[99999])).status_code == 404
    unknown = reverse("targets:commitment_status", args=[99999])
    assert client.post(unknown, {"status": "open", "evidence": ""}).status_code == 404


def test_retired_issue_heard_starts_a_blank_issue(client, login, organizer):
    retired = IssueHeard.objects.create(name="parking", is_active=False)
    page = login(client, organizer).get(
        reverse("campaigns:issue_create"), {"from_issue_heard": retired.pk}
    )
    assert page.status_code == 200 and "parking" not in page.content.decode()
