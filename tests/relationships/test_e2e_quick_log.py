"""An organizer on a phone logs a one-on-one with a new person and a follow-up, then completes
the follow-up. Interactions are counted (a tap, a pick, or typing into one field) and timed."""

import time

import pytest

from relationships.models import FollowUp, IssueHeard, OneOnOne
from relationships.selectors import local_today
from relationships.services import followup_create
from tests.browser import sign_out
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
STORY = "Talked about his shifts at the warehouse."


class Counter:
    def __init__(self):
        self.n = 0

    def tap(self, locator):
        self.n += 1
        locator.click()

    def type(self, locator, text):
        self.n += 1
        locator.fill(text)


def test_log_a_new_person_with_a_follow_up_then_complete_it(
    phone, sign_in, screenshot, organizer, congregation
):
    for name in ("housing", "wages", "immigration", "schools"):
        IssueHeard.objects.create(name=name)
    PersonFactory(congregation=congregation, first_name="Rosalind", last_name="Park")
    sign_in(phone, organizer)
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    count = Counter()
    started = time.perf_counter()
    count.tap(phone.get_by_role("link", name="+ Log a one-on-one"))  # from the home page
    phone.wait_for_url("**/one-on-ones/new/")
    opened = count.n
    count.type(phone.get_by_label("Search people by name"), "Rosa Delgado")
    new_person = phone.get_by_test_id("new-person")
    count.tap(new_person)
    # One congregation: the new person's congregation is already chosen; the name carried over.
    assert phone.get_by_label("First name").input_value() == "Rosa"
    assert phone.get_by_label("Last name").input_value() == "Delgado"
    count.tap(phone.locator("label.chip", has_text="housing"))
    count.tap(phone.locator("label.chip", has_text="1 week"))
    screenshot(phone, "one-on-one-form")
    count.tap(phone.get_by_role("button", name="Save"))
    phone.wait_for_url("**/one-on-ones/*/")
    logged_in = time.perf_counter() - started
    log_interactions = count.n - opened
    assert phone.get_by_role("heading", name="One-on-one with Rosa Delgado").is_visible()

    meeting = OneOnOne.objects.get(person__first_name="Rosa")
    assert meeting.person.memberships.get().congregation == congregation
    assert [i.name for i in meeting.issues.all()] == ["housing"]
    follow_up = FollowUp.objects.get()
    assert (follow_up.due_on - meeting.held_on).days == 7

    # Complete the follow-up from the home page's list: one tap home, one tap on ✓.
    before_complete = count.n
    count.tap(phone.get_by_role("link", name="CONECT"))
    phone.wait_for_url(lambda url: url.rstrip("/").endswith(phone.url.split("/")[2]))
    count.tap(phone.get_by_role("button", name="Mark the follow-up with Rosa Delgado done"))
    phone.get_by_test_id("follow-up-done").wait_for()
    total = time.perf_counter() - started
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    screenshot(phone, "follow-up-done")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not [e for e in errors if "Content Security Policy" in e], errors

    print(
        f"\nE2E one-on-one log: {log_interactions} interactions after opening the form "
        f"({count.n - before_complete} more to complete the follow-up, {opened} to open the form; "
        f"{count.n} in all); {logged_in:.1f} s to log, {total:.1f} s in all"
    )
    assert log_interactions == 5
    assert count.n - before_complete == 2


def test_a_follow_up_person_is_one_tap_and_a_draft_survives_a_reload(
    phone, sign_in, organizer, congregation
):
    IssueHeard.objects.create(name="wages")
    owed = PersonFactory(congregation=congregation, first_name="Tomas", last_name="Berg")
    followup_create(owner=organizer, person=owed, due_on=local_today())
    sign_in(phone, organizer)
    phone.goto("/one-on-ones/new/")
    phone.locator("label.person-choice", has_text="Tomas Berg").click()
    phone.locator("label.chip", has_text="wages").click()
    phone.get_by_role("textbox", name="Story").fill(STORY)
    phone.reload()
    assert phone.get_by_role("textbox", name="Story").input_value() == STORY
    assert phone.locator("label.chip", has_text="wages").locator("input").is_checked()
    assert phone.locator("label.person-choice", has_text="Tomas Berg").locator("input").is_checked()
    # A validation error (a date in the future) keeps everything typed as well.
    phone.get_by_label("When").fill("2099-01-01")
    phone.get_by_role("button", name="Save").click()
    phone.get_by_text("A one-on-one is logged after it happens.").wait_for()
    assert phone.get_by_role("textbox", name="Story").input_value() == STORY
    assert phone.locator("label.person-choice", has_text="Tomas Berg").locator("input").is_checked()
    phone.get_by_label("When").fill(local_today().isoformat())
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url("**/one-on-ones/*/")
    # Saved: the draft is forgotten, so the next log starts clean.
    phone.goto("/one-on-ones/new/")
    assert phone.get_by_role("textbox", name="Story").input_value() == ""
    assert OneOnOne.objects.get().person == owed
    # The person's page loads the relationships panel into its Timeline (htmx).
    phone.goto(owed.get_absolute_url())
    panel = phone.get_by_test_id("relationships-timeline")
    panel.wait_for()
    assert "wages" in panel.inner_text()


def test_signing_out_forgets_an_unsaved_draft(phone, sign_in, organizer):
    sign_in(phone, organizer)
    phone.goto("/one-on-ones/new/")
    phone.get_by_role("textbox", name="Story").fill(STORY)
    key = f"conect:one-on-one:{organizer.pk}"
    assert STORY in phone.evaluate(f"localStorage.getItem('{key}')")
    sign_out(phone)
    assert phone.evaluate(f"localStorage.getItem('{key}')") is None
