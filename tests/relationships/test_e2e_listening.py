"""Listening by congregation on a phone (issue 13, item 12): at 390 px nothing is wider than the
screen (no 37-column table); a congregation opens to its issues, an issue to its congregations,
and a count opens the meetings behind it."""

import datetime

import pytest

from relationships.selectors import local_today
from tests.factories import CongregationFactory

from .factories import IssueHeardFactory, OneOnOneFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOWING = """[...document.querySelectorAll('main *')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
          && getComputedStyle(e).overflowX !== 'visible')
  .map(e => e.tagName + '.' + e.className)"""


def test_listening_by_congregation_reads_on_a_phone(phone, sign_in, screenshot, admin_user):
    housing, wages = IssueHeardFactory(name="housing"), IssueHeardFactory(name="wages")
    congregations = [CongregationFactory(name=f"Congregation number {n:02}") for n in range(37)]
    day = local_today() - datetime.timedelta(days=10)
    for n, congregation in enumerate(congregations):
        OneOnOneFactory(
            author=admin_user,
            congregation=congregation,
            held_on=day,
            issues=[housing, wages] if n % 3 else [housing],
        )
    sign_in(phone, admin_user)
    phone.goto("/listening/")
    assert phone.get_by_test_id("by-congregation").is_hidden()  # the wide table is for desktops
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.evaluate(OVERFLOWING) == []

    cards = phone.get_by_test_id("congregation-cards")
    card = cards.locator("details").filter(has_text="Congregation number 04")
    card.locator("summary").click()
    line = card.locator("li").filter(has_text="wages")
    assert line.get_by_role("link").inner_text() == "1"
    screenshot(phone, "listening-by-congregation-phone")

    issue = phone.get_by_test_id("issue-cards").locator("details").filter(has_text="housing")
    issue.locator("summary").click()
    assert issue.locator("li").filter(has_text="Congregation number").count() == 37
    assert phone.evaluate(OVERFLOWING) == []

    line.get_by_role("link").click()
    phone.wait_for_url("**/listening/meetings/**")
    assert "wages" in phone.content()
