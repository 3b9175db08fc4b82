"""Civic participation: registration drives, pledge-to-vote cards, election-day lists that feed
follow-ups. Per view: happy, invalid, another congregation (404), anonymous, wrong method."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import civic
from actions.models import ActionKind, Attendance, Election, PledgeCard, RegistrationDriveResult
from relationships.models import FollowUp
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(db):
    return Election.objects.create(
        name="Hartford municipal 2027", held_on=timezone.localdate() + datetime.timedelta(days=30)
    )


def _card(election, person, by, action=None):
    return civic.pledge_card_collect(election=election, person=person, action=action, by=by)[0]


class TestRegistrationDrive:
    def test_a_lead_records_the_counts(self, client, login, lead, congregation):
        drive = ActionFactory(kind=ActionKind.REGISTRATION_DRIVE, congregations=[congregation])
        url = reverse("actions:registration_drive", args=[drive.pk])
        response = login(client, lead).post(url, {"forms_registered": 41, "people_helped": 67})
        assert response.status_code == 302
        result = RegistrationDriveResult.objects.get(action=drive)
        assert (result.forms_registered, result.people_helped, result.recorded_by) == (41, 67, lead)
        assert "Registration drive results" in client.get(drive.get_absolute_url()).content.decode()

    def test_invalid_counts(self, client, login, lead):
        drive = ActionFactory(kind=ActionKind.REGISTRATION_DRIVE)
        url = reverse("actions:registration_drive", args=[drive.pk])
        response = login(client, lead).post(url, {"forms_registered": -1, "people_helped": "x"})
        assert response.status_code == 200 and not RegistrationDriveResult.objects.exists()

    def test_only_a_drive_has_results(self, client, login, lead):
        assembly = ActionFactory(kind=ActionKind.ASSEMBLY)
        url = reverse("actions:registration_drive", args=[assembly.pk])
        assert login(client, lead).get(url).status_code == 404

    def test_a_leader_is_refused_and_anonymous_goes_to_login(self, client, login, leader):
        drive = ActionFactory(kind=ActionKind.REGISTRATION_DRIVE)
        url = reverse("actions:registration_drive", args=[drive.pk])
        assert client.get(url).status_code == 302
        assert login(client, leader).get(url).status_code == 403
        assert client.put(url).status_code == 405


class TestPledgeCards:
    def test_collected_at_an_action_once_per_election(
        self, client, login, lead, congregation, election
    ):
        action = ActionFactory(congregations=[congregation])
        person = PersonFactory(congregation=congregation)
        Attendance.objects.create(action=action, person=person)
        url = reverse("actions:pledge_cards", args=[action.pk])
        login(client, lead)
        assert person.full_name in client.get(url).content.decode()
        data = {"election": election.pk, "person": person.pk}
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # the same card twice
        card = PledgeCard.objects.get()
        assert (card.person, card.action, card.congregation) == (person, action, congregation)

    def test_someone_outside_the_leads_scope_is_not_a_choice(
        self, client, login, lead, other_congregation, election
    ):
        action = ActionFactory()
        stranger = PersonFactory(congregation=other_congregation)
        Attendance.objects.create(action=action, person=stranger)
        url = reverse("actions:pledge_cards", args=[action.pk])
        response = login(client, lead).post(url, {"election": election.pk, "person": stranger.pk})
        assert response.status_code == 200 and not PledgeCard.objects.exists()

    def test_unknown_action_anonymous_and_method(self, client, login, lead):
        url = reverse("actions:pledge_cards", args=[99999])
        assert client.get(url).status_code == 302
        assert login(client, lead).get(url).status_code == 404
        action = ActionFactory()
        assert client.delete(reverse("actions:pledge_cards", args=[action.pk])).status_code == 405


class TestElectionDay:
    def _url(self, election, congregation):
        return reverse("actions:election_day", args=[election.pk, congregation.slug])

    def test_pledged_not_voted_become_follow_ups_once(
        self, client, login, lead, congregation, election
    ):
        voted, waiting = (PersonFactory(congregation=congregation) for _ in range(2))
        civic.pledge_voted_confirm(card=_card(election, voted, lead), by=lead)
        _card(election, waiting, lead)
        login(client, lead)
        body = client.get(self._url(election, congregation)).content.decode()
        assert waiting.full_name in body and voted.full_name not in body
        assert client.post(self._url(election, congregation), {"followups": "1"}).status_code == 302
        client.post(self._url(election, congregation), {"followups": "1"})
        follow_up = FollowUp.objects.get()
        assert (follow_up.owner, follow_up.person, follow_up.due_on) == (
            lead,
            waiting,
            election.held_on,
        )
        assert "Never ask how" in follow_up.note

    def test_marking_voted(self, client, login, lead, congregation, election):
        card = _card(election, PersonFactory(congregation=congregation), lead)
        login(client, lead).post(self._url(election, congregation), {"voted": card.pk})
        card.refresh_from_db()
        assert card.voted_confirmed_at is not None and card.voted_confirmed_by == lead

    def test_invalid_card_is_404_not_500(self, client, login, lead, congregation, election):
        response = login(client, lead).post(self._url(election, congregation), {"voted": "abc"})
        assert response.status_code == 404

    def test_another_congregation_is_404(self, client, login, lead, other_congregation, election):
        assert login(client, lead).get(self._url(election, other_congregation)).status_code == 404

    def test_leader_anonymous_method(self, client, login, leader, congregation, election):
        url = self._url(election, congregation)
        assert client.get(url).status_code == 302
        assert login(client, leader).get(url).status_code == 403
        assert client.put(url).status_code == 405

    def test_query_count_does_not_grow(
        self, client, login, lead, congregation, election, django_assert_max_num_queries
    ):
        login(client, lead)
        for _ in range(25):
            _card(election, PersonFactory(congregation=congregation), lead)
        with django_assert_max_num_queries(12):
            assert client.get(self._url(election, congregation)).status_code == 200


class TestElections:
    URL = reverse("actions:elections")

    def test_tallies_per_congregation(self, client, login, organizer, congregation, election):
        for _ in range(3):
            _card(election, PersonFactory(congregation=congregation), organizer)
        body = login(client, organizer).get(self.URL).content.decode()
        assert "Hartford municipal 2027" in body and congregation.slug in body

    def test_an_organizer_adds_one_and_a_lead_may_not(self, client, login, organizer, lead):
        data = {"name": " Connecticut  state 2026 ", "held_on": "2026-11-03"}
        assert login(client, organizer).post(self.URL, data).status_code == 302
        assert Election.objects.get().name == "Connecticut state 2026"
        assert login(client, lead).post(self.URL, data).status_code == 403

    def test_invalid_and_refusals(self, client, login, organizer, leader):
        assert client.get(self.URL).status_code == 302
        response = login(client, organizer).post(self.URL, {"name": "", "held_on": "soon"})
        assert response.status_code == 200 and not Election.objects.exists()
        assert client.delete(self.URL).status_code == 405
        assert login(client, leader).get(self.URL).status_code == 403

    def test_query_count_does_not_grow(
        self, client, login, organizer, congregation, election, django_assert_max_num_queries
    ):
        login(client, organizer)
        for n in range(15):
            other = Election.objects.create(name=f"E{n}", held_on=election.held_on)
            _card(other, PersonFactory(congregation=congregation), organizer)
        with django_assert_max_num_queries(12):
            assert client.get(self.URL).status_code == 200
