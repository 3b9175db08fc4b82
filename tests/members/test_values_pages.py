"""Self-identified demographics (consent first, audited), voter registration as reported, the
equity report (admins and organizers, suppressed) and the explicit demographics export."""

import datetime
import re
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from conect.ladder import Level
from members import demographics as values
from members.equity import ladder_by_group, last_quarter_ends, leaders_trend
from members.models import AuditEvent, Demographics, LeadershipChange, VoterRegistration
from members.services import person_merge
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _demographics_url(person):
    return reverse("members:person_demographics", args=[person.pk])


def _voter_url(person):
    return reverse("members:person_voter_registration", args=[person.pk])


REPORT = reverse("members:equity_report")


class TestDemographicsPage:
    def test_recorded_with_consent_and_who(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        data = {"groups": ["black", "latino"], "self_described": "Afro-Latina", "consent": "on"}
        response = login(client, organizer).post(_demographics_url(person), data)
        assert response.status_code == 302
        row = Demographics.objects.get(person=person)
        assert row.groups == ["black", "latino"] and row.equity_group == "multiple"
        assert row.consented_on == timezone.localdate() and row.consent_recorded_by == organizer
        event = AuditEvent.objects.get(action="update", person_id=person.pk)
        assert event.detail == {"fields": ["demographics"]}  # names, never the values

    def test_without_consent_nothing_is_stored(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        response = login(client, organizer).post(_demographics_url(person), {"groups": ["white"]})
        assert response.status_code == 200
        assert "Recorded only with their consent" in response.content.decode()
        assert not Demographics.objects.exists()

    def test_nothing_chosen_is_an_error_not_a_500(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        response = login(client, organizer).post(
            _demographics_url(person), {"groups": ["martian"], "consent": "on"}
        )
        assert response.status_code == 200 and not Demographics.objects.exists()

    def test_viewing_is_audited(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        values.demographics_record(person=person, groups=["asian"], consent=True, by=organizer)
        body = login(client, organizer).get(_demographics_url(person)).content.decode()
        assert re.search(r'value="asian"\s+[^>]*checked', body)
        event = AuditEvent.objects.get(action="view_sensitive", person_id=person.pk)
        assert event.detail == {"where": "demographics"}

    def test_unconfirmed_migrated_words_ask_for_consent(
        self, client, login, organizer, congregation
    ):
        person = PersonFactory(congregation=congregation)
        Demographics.objects.create(person=person, self_described="Puerto Rican", groups=["latino"])
        body = login(client, organizer).get(_demographics_url(person)).content.decode()
        assert 'data-testid="unconfirmed"' in body and "Puerto Rican" in body

    def test_withdrawing_deletes(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        values.demographics_record(person=person, groups=["white"], consent=True, by=organizer)
        login(client, organizer).post(_demographics_url(person), {"withdraw": "1"})
        assert not Demographics.objects.exists()
        assert AuditEvent.objects.filter(detail__withdrawn=True).count() == 1

    def test_other_congregation_is_404(self, client, login, organizer, other_congregation):
        person = PersonFactory(congregation=other_congregation)
        assert login(client, organizer).get(_demographics_url(person)).status_code == 404

    def test_a_lead_in_scope_is_refused(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        assert login(client, lead).get(_demographics_url(person)).status_code == 403

    def test_anonymous_goes_to_login(self, client, congregation):
        person = PersonFactory(congregation=congregation)
        response = client.get(_demographics_url(person))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_wrong_method(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        assert login(client, organizer).put(_demographics_url(person)).status_code == 405

    def test_the_service_refuses_without_consent(self, organizer, congregation):
        person = PersonFactory(congregation=congregation)
        with pytest.raises(values.ConsentMissing):
            values.demographics_record(person=person, groups=["white"], consent=False, by=organizer)


class TestVoterRegistrationPage:
    def test_a_lead_records_what_they_say(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        data = {"status": "unsure", "town": "Hartford", "asked_on": "2026-10-01"}
        assert login(client, lead).post(_voter_url(person), data).status_code == 302
        row = VoterRegistration.objects.get(person=person)
        assert (row.status, row.town, row.asked_on) == (
            "unsure",
            "Hartford",
            datetime.date(2026, 10, 1),
        )
        assert row.recorded_by == lead

    def test_invalid_input(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        response = login(client, lead).post(
            _voter_url(person), {"status": "maybe", "asked_on": future}
        )
        assert response.status_code == 200 and not VoterRegistration.objects.exists()

    def test_other_congregation_is_404(self, client, login, lead, other_congregation):
        person = PersonFactory(congregation=other_congregation)
        assert login(client, lead).get(_voter_url(person)).status_code == 404

    def test_a_leader_is_refused_even_on_their_own_record(self, client, login, leader):
        assert login(client, leader).get(_voter_url(leader.person)).status_code == 403

    def test_anonymous_and_wrong_method(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        assert client.get(_voter_url(person)).status_code == 302
        assert login(client, lead).delete(_voter_url(person)).status_code == 405


def _consented(person, groups, by):
    return values.demographics_record(person=person, groups=groups, consent=True, by=by)


class TestEquityReport:
    def test_counts_and_suppression(self, client, login, admin_user, congregation):
        for _ in range(6):
            _consented(
                PersonFactory(congregation=congregation, level=Level.MEMBER), ["black"], admin_user
            )
        for _ in range(7):
            _consented(
                PersonFactory(congregation=congregation, level=Level.LEADER), ["black"], admin_user
            )
        _consented(
            PersonFactory(congregation=congregation, level=Level.LEADER), ["white"], admin_user
        )
        table = ladder_by_group(admin_user)
        black = table.row_labels.index("Black or African American")
        white = table.row_labels.index("White")
        assert table.rows[white][2] is None and table.rows[white][-1] is None  # 1: hidden
        assert table.rows[black][2] is None  # its complement in the Leader column
        assert table.rows[black][0] == 6  # members are shown
        response = login(client, admin_user).get(REPORT)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="equity-ladder"' in body and "14 of" in body
        assert AuditEvent.objects.filter(
            action="view_sensitive", detail__where="equity report"
        ).exists()

    def test_a_small_coverage_is_not_given_away(self, client, login, admin_user, congregation):
        for _ in range(3):
            _consented(PersonFactory(congregation=congregation), ["asian"], admin_user)
        body = login(client, admin_user).get(REPORT).content.decode()
        assert "Fewer than 5 of" in body and "3 of" not in body

    def test_unconfirmed_rows_count_nowhere(self, admin_user, congregation):
        person = PersonFactory(congregation=congregation)
        Demographics.objects.create(person=person, groups=["white"], equity_group="white")
        assert ladder_by_group(admin_user).totals[-1] == 0

    def test_an_organizer_sees_their_scope(
        self, organizer, admin_user, congregation, other_congregation
    ):
        for _ in range(5):
            _consented(PersonFactory(congregation=other_congregation), ["asian"], admin_user)
        assert ladder_by_group(organizer).totals[-1] == 0
        assert ladder_by_group(admin_user).totals[-1] == 5

    def test_one_congregation(self, client, login, organizer, congregation):
        response = login(client, organizer).get(REPORT, {"congregation": congregation.slug})
        assert (
            response.status_code == 200 and escape(congregation.name) in response.content.decode()
        )

    def test_another_congregation_is_404(self, client, login, organizer, other_congregation):
        response = login(client, organizer).get(REPORT, {"congregation": other_congregation.slug})
        assert response.status_code == 404
        assert login(client, organizer).get(REPORT, {"congregation": "nope"}).status_code == 404

    def test_leads_and_leaders_are_refused(self, client, login, lead, leader):
        assert login(client, lead).get(REPORT).status_code == 403
        assert login(client, leader).get(REPORT).status_code == 403

    def test_anonymous_and_wrong_method(self, client, login, organizer):
        assert client.get(REPORT).status_code == 302
        assert login(client, organizer).post(REPORT).status_code == 405

    def test_query_count_does_not_grow(
        self, client, login, admin_user, congregation, django_assert_max_num_queries
    ):
        login(client, admin_user)
        client.get(REPORT)
        for _ in range(30):
            _consented(PersonFactory(congregation=congregation), ["latino"], admin_user)
        with django_assert_max_num_queries(14):
            assert client.get(REPORT).status_code == 200

    def test_trend_reads_the_ladder_history(self, admin_user, congregation):
        today = datetime.date(2026, 12, 2)
        ends = last_quarter_ends(today)
        assert ends == [
            datetime.date(2025, 12, 31),
            datetime.date(2026, 3, 31),
            datetime.date(2026, 6, 30),
            datetime.date(2026, 9, 30),
        ]
        people = [PersonFactory(congregation=congregation, level=Level.LEADER) for _ in range(6)]
        for person in people:
            _consented(person, ["latino"], admin_user)
            type(person).objects.filter(pk=person.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=800)
            )
            LeadershipChange.objects.create(
                person=person,
                from_level=Level.PARTICIPANT,
                to_level=Level.LEADER,
                changed_at=timezone.make_aware(datetime.datetime(2026, 5, 1)),
            )
        trend = leaders_trend(admin_user, today=today)
        latino = trend.row_labels.index("Hispanic or Latino/a/e")
        assert trend.rows[latino] == [0, 0, 6, 6]
        assert trend.col_labels == ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]


class TestExport:
    def test_an_admin_asks_explicitly_and_it_is_audited(
        self, client, login, admin_user, congregation
    ):
        person = PersonFactory(congregation=congregation, first_name="Rosa")
        _consented(person, ["latino"], admin_user)
        login(client, admin_user)
        plain = b"".join(client.get(reverse("members:export")).streaming_content).decode()
        assert "race_ethnicity" not in plain and "latino" not in plain
        rich = b"".join(
            client.get(reverse("members:export"), {"demographics": "1"}).streaming_content
        ).decode()
        assert "race_ethnicity" in rich and "latino" in rich
        assert AuditEvent.objects.filter(action="export", detail__demographics=True).count() == 1

    def test_an_organizer_may_not(self, client, login, organizer):
        response = login(client, organizer).get(reverse("members:export"), {"demographics": "1"})
        assert response.status_code == 403


class TestMerge:
    def test_two_answers_keep_the_consented_and_the_latest(self, organizer, congregation):
        survivor = PersonFactory(congregation=congregation)
        duplicate = PersonFactory(congregation=congregation)
        Demographics.objects.create(person=survivor, groups=["white"], self_described="typed")
        _consented(duplicate, ["latino"], organizer)
        values.voter_registration_record(
            person=survivor, status="registered", asked_on=datetime.date(2026, 3, 1), by=organizer
        )
        values.voter_registration_record(
            person=duplicate, status="unsure", asked_on=datetime.date(2025, 3, 1), by=organizer
        )
        person_merge(survivor=survivor, duplicate=duplicate, by=organizer)
        row = Demographics.objects.get()
        assert row.person == survivor and row.groups == ["latino"] and row.consented_on
        answer = VoterRegistration.objects.get()
        assert (answer.person, answer.status) == (survivor, "registered")
