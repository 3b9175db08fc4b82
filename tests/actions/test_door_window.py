"""Check-in only when the action happens (issue 13, item 2): the door opens a configurable time
before the start and closes a configurable time after the end; attendance recorded afterwards is
a separate, audited act of a lead or an organizer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Attendance
from actions.services import attendance_check_in, attendance_record_after, attendance_walk_in
from members.models import AuditEvent, Person
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def action_at(congregation, starts_in: datetime.timedelta, hours: int = 2):
    starts = timezone.now() + starts_in
    return ActionFactory(
        congregations=[congregation], starts_at=starts, ends_at=starts + hours * HOUR
    )


def checked_in(action) -> int:
    return Attendance.objects.filter(action=action, checked_in_at__isnull=False).count()


class TestWindow:
    def test_six_weeks_early_is_refused_and_not_turnout(self, lead, congregation):
        action = action_at(congregation, datetime.timedelta(weeks=6))
        person = PersonFactory(congregation=congregation)
        with pytest.raises(ValidationError, match="Check-in opens"):
            attendance_check_in(action=action, person=person, by=lead)
        assert checked_in(action) == 0

    def test_opens_two_hours_before_and_closes_six_hours_after(self, lead, congregation):
        early = action_at(congregation, 2 * HOUR + datetime.timedelta(minutes=5))
        opening = action_at(congregation, 2 * HOUR - datetime.timedelta(minutes=5))
        late = action_at(congregation, -8 * HOUR - datetime.timedelta(minutes=5), hours=2)
        closing = action_at(congregation, -8 * HOUR + datetime.timedelta(minutes=5), hours=2)
        for action, opens in [(early, False), (opening, True), (late, False), (closing, True)]:
            person = PersonFactory(congregation=congregation)
            if opens:
                assert attendance_check_in(action=action, person=person, by=lead)[1]
            else:
                with pytest.raises(ValidationError):
                    attendance_check_in(action=action, person=person, by=lead)

    def test_the_window_is_a_setting(self, settings, lead, congregation):
        settings.CONECT = {**settings.CONECT, "CHECK_IN_OPENS_MINUTES_BEFORE": 600}
        action = action_at(congregation, 9 * HOUR)
        person = PersonFactory(congregation=congregation)
        assert attendance_check_in(action=action, person=person, by=lead)[1]

    def test_walk_in_outside_the_window_adds_nobody(self, lead, congregation):
        action = action_at(congregation, datetime.timedelta(days=3))
        with pytest.raises(ValidationError):
            attendance_walk_in(
                action=action,
                first_name="Rosa",
                last_name="Díaz",
                congregation=congregation,
                by=lead,
            )
        assert not Person.objects.filter(first_name="Rosa").exists()


class TestDoorPage:
    def test_early_page_says_when_it_opens_and_refuses(self, client, login, lead, congregation):
        action = action_at(congregation, datetime.timedelta(weeks=6))
        person = PersonFactory(congregation=congregation)
        login(client, lead)
        page = client.get(reverse("actions:check_in", args=[action.pk])).content.decode()
        opens = timezone.localtime(action.starts_at - 2 * HOUR)
        assert "Check-in opens" in page and opens.strftime("%-I:%M") in page
        assert 'id="door-search"' not in page and "Add &amp; check in" not in page
        url = reverse("actions:check_in_person", args=[action.pk, person.pk])
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "Check-in opens" in response.content.decode()
        walk_in = client.post(
            reverse("actions:walk_in", args=[action.pk]),
            {"first_name": "Rosa", "last_name": "Díaz", "congregation": congregation.pk},
            HTTP_HX_REQUEST="true",
        )
        assert "Check-in opens" in walk_in.content.decode()
        assert checked_in(action) == 0 and not Person.objects.filter(first_name="Rosa").exists()

    def test_closed_page_points_to_attendance_after_the_fact(
        self, client, login, lead, congregation
    ):
        action = action_at(congregation, -2 * datetime.timedelta(days=2))
        page = login(client, lead).get(reverse("actions:check_in", args=[action.pk]))
        body = page.content.decode()
        assert "Check-in closed" in body
        assert reverse("actions:attendance_after", args=[action.pk]) in body

    def test_search_while_closed_lists_nobody(self, client, login, lead, congregation):
        action = action_at(congregation, datetime.timedelta(weeks=6))
        PersonFactory(first_name="Maria", congregation=congregation)
        response = login(client, lead).get(
            reverse("actions:check_in_search", args=[action.pk]), {"q": "Mar"}
        )
        body = response.content.decode()
        assert "Maria" not in body and "Check-in opens" in body


class TestAttendanceAfterTheFact:
    @pytest.fixture
    def past(self, congregation):
        return action_at(congregation, -datetime.timedelta(days=3))

    def url(self, action):
        return reverse("actions:attendance_after", args=[action.pk])

    def test_lead_records_who_came_audited(self, client, login, lead, congregation, past):
        ana = PersonFactory(first_name="Ana", last_name="Ruiz", congregation=congregation)
        login(client, lead)
        page = client.get(self.url(past), {"q": "Ana"}).content.decode()
        assert "Ana Ruiz" in page and f'value="{ana.pk}"' in page
        response = client.post(self.url(past), {"people": [ana.pk], "note": "Sign-in sheet"})
        assert response.status_code == 302
        attendance = Attendance.objects.get(action=past, person=ana)
        assert attendance.checked_in_at and attendance.recorded_after
        assert attendance.checked_in_by == lead and attendance.congregation == congregation
        event = AuditEvent.objects.get(action=AuditEvent.Action.ATTENDANCE_AFTER)
        assert (event.actor, event.person_id) == (lead, ana.pk)
        assert event.detail == {"action_id": past.pk, "note": "Sign-in sheet"}
        assert "Ana Ruiz" in client.get(self.url(past)).content.decode()  # listed as recorded

    def test_twice_records_once(self, lead, congregation, past):
        ana = PersonFactory(congregation=congregation)
        assert attendance_record_after(action=past, people=[ana], by=lead, note="Sheet") == 1
        assert attendance_record_after(action=past, people=[ana], by=lead, note="Sheet") == 0
        assert AuditEvent.objects.filter(action="attendance_after").count() == 1

    def test_not_before_the_action_ends(self, client, login, lead, congregation):
        now = action_at(congregation, -HOUR, hours=3)
        person = PersonFactory(congregation=congregation)
        with pytest.raises(ValidationError):
            attendance_record_after(action=now, people=[person], by=lead, note="Sheet")
        login(client, lead)
        assert "use door check-in" in client.get(self.url(now)).content.decode()
        client.post(self.url(now), {"people": [person.pk], "note": "Sheet"})
        assert checked_in(now) == 0

    def test_invalid_input_keeps_the_page(self, client, login, lead, congregation, past):
        ana = PersonFactory(congregation=congregation)
        response = login(client, lead).post(self.url(past), {"people": [ana.pk], "note": ""})
        assert response.status_code == 200 and response.context["form"].errors["note"]
        assert checked_in(past) == 0

    def test_someone_out_of_scope_is_not_recorded(
        self, client, login, lead, past, other_congregation
    ):
        stranger = PersonFactory(congregation=other_congregation)
        response = login(client, lead).post(
            self.url(past), {"people": [stranger.pk], "note": "Sheet"}
        )
        assert response.status_code == 200 and response.context["form"].errors["people"]
        assert checked_in(past) == 0

    def test_leader_is_403_anonymous_to_login_wrong_method_405(self, client, login, leader, past):
        assert client.get(self.url(past)).status_code == 302
        assert login(client, leader).get(self.url(past)).status_code == 403
        assert client.delete(self.url(past)).status_code == 405
