"""On a phone at the door (issue 13, item 2): check-in works only while the action happens, a
walk-in's name is typed once, and attendance is recorded afterwards on its own audited page."""

import datetime
import time

import pytest
from django.utils import timezone

from actions.models import Attendance
from members.models import AuditEvent, Person
from tests.campaigns.factories import ActionFactory, DoorOpenActionFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_walk_in_carries_the_name_just_searched(phone, sign_in, screenshot, lead, congregation):
    action = DoorOpenActionFactory(title="Housing assembly", congregations=[congregation])
    PersonFactory(first_name="Rosalind", last_name="Park", congregation=congregation)
    sign_in(phone, lead)
    phone.goto(f"/actions/{action.pk}/check-in/")
    search = phone.get_by_placeholder("Search name…")

    started = time.perf_counter()
    search.fill("rosa díaz")  # 1: the name, typed once
    phone.get_by_text("No one found").wait_for()
    assert phone.get_by_label("First name").input_value() == "Rosa"
    assert phone.get_by_label("Last name").input_value() == "Díaz"
    phone.get_by_label("Phone or email").fill("860 555 0199")  # 2
    phone.get_by_role("button", name="Add & check in").click()  # 3
    phone.get_by_test_id("walk-in-added").wait_for()
    seconds = time.perf_counter() - started
    print(f"\nwalk-in check-in on a phone: 3 interactions, {seconds:.2f} s")

    rosa = Person.objects.get(first_name="Rosa", last_name="Díaz")
    assert Attendance.objects.get(person=rosa).checked_in_at
    assert phone.get_by_test_id("checked-in-count").first.inner_text() == "1"
    # A name the volunteer typed in the form is theirs: a new search does not overwrite it.
    phone.get_by_label("First name").fill("Marisol")
    search.fill("ana")
    assert phone.get_by_label("First name").input_value() == "Marisol"
    assert fits_the_phone(phone)
    screenshot(phone, "door-walk-in-carried")


def test_door_is_closed_six_weeks_early(phone, sign_in, screenshot, lead, congregation):
    action = ActionFactory(
        congregations=[congregation], starts_at=timezone.now() + datetime.timedelta(weeks=6)
    )
    sign_in(phone, lead)
    phone.goto(f"/actions/{action.pk}/check-in/")
    assert "Check-in opens" in phone.get_by_test_id("door-closed").inner_text()
    assert phone.get_by_placeholder("Search name…").count() == 0
    assert phone.get_by_role("button", name="Add & check in").count() == 0
    assert fits_the_phone(phone)
    screenshot(phone, "door-closed-early")


def test_attendance_after_the_fact(phone, sign_in, screenshot, lead, congregation):
    action = ActionFactory(
        title="Budget hearing",
        congregations=[congregation],
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    ana = PersonFactory(first_name="Ana", last_name="Ruiz", congregation=congregation)
    sign_in(phone, lead)
    phone.goto(f"/actions/{action.pk}/check-in/")
    phone.get_by_role("link", name="Record attendance after the fact").click()
    phone.get_by_placeholder("Search name…").fill("Ana")
    phone.get_by_role("button", name="Search").click()
    phone.get_by_label("Ana Ruiz").check()
    phone.get_by_label("How do you know they came?").fill("Sign-in sheet")
    phone.get_by_role("button", name="Record attendance").click()
    phone.get_by_text("Attendance recorded for 1 person.").wait_for()
    assert "Ana Ruiz" in phone.get_by_test_id("recorded-after").inner_text()
    assert Attendance.objects.get(action=action, person=ana).recorded_after
    assert AuditEvent.objects.filter(action="attendance_after", person_id=ana.pk).exists()
    assert fits_the_phone(phone)
    screenshot(phone, "attendance-after-the-fact")
