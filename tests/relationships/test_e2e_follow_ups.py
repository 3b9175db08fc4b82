"""On a phone (issue 13): log a one-on-one with an existing person and with a new one (with a
phone and email), add a follow-up by hand, reschedule and reassign it, and open the whole list.
Interactions (a tap, a pick, or typing into one field) are counted and timed from the form."""

import datetime
import time

import pytest

from conect.access import Role
from members.models import Person
from relationships.models import FollowUp, IssueHeard, OneOnOne
from relationships.selectors import local_today
from relationships.services import followup_create
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Counter:
    def __init__(self):
        self.n, self.started = 0, time.perf_counter()

    def tap(self, locator):
        self.n += 1
        locator.click()

    def type(self, locator, text):
        self.n += 1
        locator.fill(text)

    def seconds(self):
        return time.perf_counter() - self.started


def test_one_on_ones_and_a_follow_up_on_a_phone(
    phone, sign_in, screenshot, organizer, congregation
):
    IssueHeard.objects.create(name="housing")
    PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz", town="Hartford")
    PersonFactory(congregation=congregation, first_name="Ana", last_name="Ruiz", town="Bristol")
    sign_in(phone, organizer)

    # 1. An existing person (two share the name: the town tells them apart).
    phone.goto("/one-on-ones/new/")
    existing = Counter()
    existing.type(phone.get_by_label("Search people by name"), "ana ruiz")
    existing.tap(phone.locator("label.person-choice", has_text="Bristol"))
    existing.tap(phone.locator("label.chip", has_text="housing"))
    existing.tap(phone.locator("label.chip", has_text="1 week"))
    existing.tap(phone.get_by_role("button", name="Save"))
    phone.wait_for_url("**/one-on-ones/*/")
    assert OneOnOne.objects.get().person.town == "Bristol"

    # 2. A new person, with a phone and an email; the congregation is preselected.
    phone.goto("/one-on-ones/new/")
    new = Counter()
    new.type(phone.get_by_label("Search people by name"), "Rosa Delgado")
    new.tap(phone.get_by_test_id("new-person"))
    new.type(phone.get_by_label("Phone"), "860 555 0123")
    new.type(phone.get_by_label("Email"), "rosa@example.org")
    new.tap(phone.locator("label.chip", has_text="housing"))
    new.tap(phone.get_by_role("button", name="Save"))
    phone.wait_for_url("**/one-on-ones/*/")
    rosa = Person.objects.get(first_name="Rosa")
    assert (rosa.phone, rosa.email) == ("+18605550123", "rosa@example.org")

    # 3. A follow-up by hand, from the follow-ups page, with a date and a note.
    phone.goto("/follow-ups/")
    added = Counter()
    added.tap(phone.get_by_role("link", name="+ Add a follow-up"))
    added.type(phone.get_by_label("Search people by name"), "rosa")
    added.tap(phone.locator("label.person-choice", has_text="Rosa Delgado"))
    day = local_today() + datetime.timedelta(days=3)
    added.type(phone.get_by_label("By when"), day.isoformat())
    added.type(phone.get_by_label("What to do"), "Invite her to the assembly")
    screenshot(phone, "follow-up-add")
    added.tap(phone.get_by_role("button", name="Save"))
    phone.get_by_text("Invite her to the assembly").wait_for()
    manual = FollowUp.objects.get(kind="manual")
    assert (manual.person, manual.due_on) == (rosa, day)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    print(
        f"\nE2E phone: one-on-one with an existing person {existing.n} interactions "
        f"{existing.seconds():.1f} s; with a new person (phone, email) {new.n} interactions "
        f"{new.seconds():.1f} s; a follow-up by hand {added.n} interactions {added.seconds():.1f} s"
    )
    assert (existing.n, new.n, added.n) == (5, 6, 6)


def test_reschedule_reassign_and_the_whole_list(
    phone, sign_in, screenshot, organizer, lead, congregation
):
    person = PersonFactory(congregation=congregation, first_name="Tomas", last_name="Berg")
    follow_up = followup_create(owner=organizer, person=person, due_on=local_today())
    for n in range(3):
        later = PersonFactory(congregation=congregation, first_name=f"Later{n}")
        followup_create(
            owner=organizer, person=later, due_on=local_today() + datetime.timedelta(days=30)
        )
    sign_in(phone, organizer)
    phone.goto("/follow-ups/")
    phone.get_by_role("link", name="Reschedule or reassign the follow-up with Tomas Berg").click()
    phone.get_by_label("By when").fill((local_today() + datetime.timedelta(days=2)).isoformat())
    phone.get_by_label("Who follows up").select_option(str(lead.pk))
    screenshot(phone, "follow-up-edit")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url("**/follow-ups/")
    follow_up.refresh_from_db()
    assert follow_up.owner == lead
    phone.get_by_test_id("later-link").click()
    phone.get_by_test_id("all-follow-ups").wait_for()
    assert phone.locator("[data-testid=all-follow-ups] .followup-row").count() == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_lead_sees_their_leaders_overdue_follow_ups(phone, sign_in, lead, congregation):
    leader = UserFactory(role=Role.LEADER, first_name="Lia", last_name="Leader")
    PersonFactory(user=leader, congregation=congregation)
    person = PersonFactory(congregation=congregation, first_name="Omar", last_name="Said")
    followup_create(
        owner=leader, person=person, due_on=local_today() - datetime.timedelta(days=5), note="Call"
    )
    sign_in(phone, lead)
    phone.goto("/follow-ups/")
    section = phone.get_by_test_id("leaders-overdue")
    assert "Omar Said" in section.inner_text() and "Lia Leader" in section.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
