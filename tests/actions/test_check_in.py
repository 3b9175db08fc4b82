"""Door check-in: search, one tap, walk-ins, and scope."""

import pytest
from django.urls import reverse

from actions.models import Attendance
from actions.services import attendance_check_in, attendance_rsvp
from members.models import Person
from tests.campaigns.factories import DoorOpenActionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(db, congregation, other_congregation):
    """The door works while the action happens: this one starts in half an hour."""
    return DoorOpenActionFactory(congregations=[congregation, other_congregation])


def search(client, action, q):
    return client.get(
        reverse("actions:check_in_search", args=[action.pk]), {"q": q}, HTTP_HX_REQUEST="true"
    )


def test_page_happy_path(client, login, lead, action):
    response = login(client, lead).get(reverse("actions:check_in", args=[action.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Search name" in body and "check in</button>" in body


def test_leader_has_no_door(client, login, leader, action):
    # The action is in a leader's sight; working its door is not their role's.
    assert (
        login(client, leader).get(reverse("actions:check_in", args=[action.pk])).status_code == 403
    )


def test_leader_cannot_check_in_even_themself(client, login, leader, action):
    me = Person.objects.get(user=leader)
    url = reverse("actions:check_in_person", args=[action.pk, me.pk])
    assert login(client, leader).post(url).status_code == 403
    assert not Attendance.objects.exists()


def test_leader_checking_in_someone_out_of_sight_is_404(
    client, login, leader, action, other_congregation
):
    stranger = PersonFactory(congregation=other_congregation)
    url = reverse("actions:check_in_person", args=[action.pk, stranger.pk])
    assert login(client, leader).post(url).status_code == 404


def test_search_needs_three_letters_and_is_scoped(
    client, login, lead, action, congregation, other_congregation
):
    PersonFactory(first_name="Maria", last_name="Santos", congregation=congregation)
    PersonFactory(first_name="Mariam", last_name="Khan", congregation=other_congregation)
    login(client, lead)
    assert "Maria" not in search(client, action, "Ma").content.decode()
    body = search(client, action, "Mar").content.decode()
    assert "Maria Santos" in body and "Khan" not in body
    assert "St. Mark" in body  # their congregation is shown to tell namesakes apart


def test_search_costs_seven_queries_however_many_match(
    client, login, organizer, action, congregation, django_assert_num_queries
):
    PersonFactory.create_batch(3, first_name="Marcus", congregation=congregation)
    login(client, organizer)
    search(client, action, "Marc")  # warm-up: nothing cached across requests is counted below
    # session, user, action, the user's scope, people, their attendance (the unread badge is
    # counted once, then cached: conect.fragments)
    with django_assert_num_queries(6):
        assert "Marcus" in search(client, action, "Marc").content.decode()
    PersonFactory.create_batch(40, first_name="Marcus", congregation=congregation)
    with django_assert_num_queries(6):
        assert "Marcus" in search(client, action, "Marc").content.decode()


def test_one_tap_checks_in_once(client, login, lead, action, congregation):
    maria = PersonFactory(first_name="Maria", congregation=congregation)
    url = reverse("actions:check_in_person", args=[action.pk, maria.pk])
    login(client, lead)
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and "Checked in" in first.content.decode()
    second = client.post(url, HTTP_HX_REQUEST="true")
    assert "Already checked in" in second.content.decode()
    (attendance,) = Attendance.objects.all()
    assert attendance.checked_in_at and attendance.congregation == congregation
    assert attendance.checked_in_by == lead


def test_check_in_keeps_the_first_time(lead, action, congregation):
    person = PersonFactory(congregation=congregation)
    first, now1 = attendance_check_in(action=action, person=person, by=lead)
    second, now2 = attendance_check_in(action=action, person=person, by=lead)
    assert (now1, now2) == (True, False)
    assert first.checked_in_at == second.checked_in_at


def test_invited_person_keeps_rsvp_on_check_in(lead, action, congregation):
    person = PersonFactory(congregation=congregation)
    attendance_rsvp(action=action, person=person, rsvp="yes")
    attendance, _ = attendance_check_in(action=action, person=person, by=lead)
    assert attendance.rsvp == "yes" and attendance.checked_in_at


def test_cannot_check_in_someone_out_of_scope(client, login, lead, action, other_congregation):
    stranger = PersonFactory(congregation=other_congregation)
    response = login(client, lead).post(
        reverse("actions:check_in_person", args=[action.pk, stranger.pk])
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_check_in_wrong_method(client, login, lead, action, congregation):
    person = PersonFactory(congregation=congregation)
    response = login(client, lead).get(
        reverse("actions:check_in_person", args=[action.pk, person.pk])
    )
    assert response.status_code == 405


def test_walk_in_adds_and_checks_in(client, login, lead, action, congregation):
    response = login(client, lead).post(
        reverse("actions:walk_in", args=[action.pk]),
        {
            "first_name": "Rosa",
            "last_name": "Díaz",
            "congregation": congregation.pk,
            "contact": "(860) 555-0123",
        },
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.status_code == 200
        and "Rosa Díaz added and checked in" in response.content.decode()
    )
    rosa = Person.objects.get(first_name="Rosa")
    assert rosa.phone == "+18605550123"
    assert rosa.memberships.get().congregation == congregation
    attendance = Attendance.objects.get(person=rosa)
    assert attendance.rsvp == "walk_in" and attendance.checked_in_at


def test_walk_in_with_email(client, login, lead, action, congregation):
    login(client, lead).post(
        reverse("actions:walk_in", args=[action.pk]),
        {
            "first_name": "Tom",
            "last_name": "Berg",
            "congregation": congregation.pk,
            "contact": "Tom@Example.org",
        },
    )
    assert Person.objects.get(first_name="Tom").email == "tom@example.org"


def test_walk_in_invalid_input_keeps_the_form(client, login, lead, action, congregation):
    response = login(client, lead).post(
        reverse("actions:walk_in", args=[action.pk]),
        {
            "first_name": "",
            "last_name": "Berg",
            "congregation": congregation.pk,
            "contact": "not a phone",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "is-invalid" in body and 'value="Berg"' in body
    assert not Person.objects.filter(last_name="Berg").exists()


def test_walk_in_to_another_congregation_is_refused(
    client, login, lead, action, other_congregation
):
    response = login(client, lead).post(
        reverse("actions:walk_in", args=[action.pk]),
        {"first_name": "Eve", "last_name": "Stone", "congregation": other_congregation.pk},
    )
    assert response.status_code == 200
    assert not Person.objects.filter(first_name="Eve").exists()
