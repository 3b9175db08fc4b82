"""The staff admin for commitments goes through the service: no kept or broken without evidence."""

import pytest
from django.urls import reverse

from campaigns.models import Commitment
from tests.campaigns.factories import CampaignFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def _form(commitment, **changes):
    data = {
        "target": commitment.target_id,
        "campaign": "",
        "action": "",
        "ask": commitment.ask,
        "answer": commitment.answer,
        "due_on": "",
        "status": commitment.status,
        "evidence": commitment.evidence,
        "recorded_by": "",
        "created_at_0": commitment.created_at.strftime("%Y-%m-%d"),
        "created_at_1": commitment.created_at.strftime("%H:%M:%S"),
    }
    return data | changes


def test_kept_without_evidence_is_refused(client, login, admin_user):
    commitment = CommitmentFactory()
    url = reverse("admin:campaigns_commitment_change", args=[commitment.pk])
    response = login(client, admin_user).post(url, _form(commitment, status="kept"))
    assert response.status_code == 200
    assert "Give the evidence that the promise was kept or broken." in response.content.decode()
    commitment.refresh_from_db()
    assert (commitment.status, commitment.evidence) == ("open", "")
    assert commitment.status_changed_at is None and commitment.status_changed_by is None


def test_kept_with_evidence_records_who(client, login, admin_user):
    commitment = CommitmentFactory()
    url = reverse("admin:campaigns_commitment_change", args=[commitment.pk])
    form = _form(commitment, status="kept", evidence=" Council vote 9-0 ")
    assert login(client, admin_user).post(url, form).status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.evidence) == ("kept", "Council vote 9-0")
    assert commitment.status_changed_by == admin_user and commitment.status_changed_at
    assert "status changed by" in client.get(url).content.decode().lower()


def test_other_edits_leave_the_status_alone(client, login, admin_user):
    commitment = CommitmentFactory()
    url = reverse("admin:campaigns_commitment_change", args=[commitment.pk])
    assert login(client, admin_user).post(url, _form(commitment, ask="New ask")).status_code == 302
    commitment.refresh_from_db()
    assert commitment.ask == "New ask" and commitment.status_changed_by is None


def test_adding_a_broken_commitment_goes_through_the_service(client, login, admin_user):
    target = CommitmentFactory().target
    new = Commitment(target=target, ask="Publish the data", answer="yes")
    url = reverse("admin:campaigns_commitment_add")
    login(client, admin_user)
    refused = client.post(url, _form(new, status="broken"))
    assert refused.status_code == 200 and Commitment.objects.count() == 1
    said_no = client.post(url, _form(new, answer="no", status="broken", evidence="No data"))
    assert "Only a promise" in said_no.content.decode() and Commitment.objects.count() == 1
    assert client.post(url, _form(new, status="broken", evidence="No data")).status_code == 302
    added = Commitment.objects.get(ask="Publish the data")
    assert (added.status, added.evidence, added.status_changed_by) == (
        "broken",
        "No data",
        admin_user,
    )


def test_campaign_stage_is_read_only_in_the_admin(client, login, admin_user):
    campaign = CampaignFactory()
    body = login(client, admin_user).get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    )
    assert body.status_code == 200 and 'name="stage"' not in body.content.decode()
