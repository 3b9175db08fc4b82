"""On a phone: an admin records a payment; the congregation's lead then sees the new balance."""

import datetime

import pytest
from django.utils import timezone

from congregations.fiscal import fiscal_year_of
from congregations.models import EntryKind, LedgerEntry
from tests.congregations.factories import LedgerEntryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_records_a_payment_and_the_lead_sees_the_new_balance(
    browser, live_server, phone, sign_in, screenshot, admin_user, lead, member, wipe_ledger_after
):
    day = timezone.localdate() - datetime.timedelta(days=5)
    LedgerEntryFactory(
        congregation=member,
        kind=EntryKind.ASSESSMENT,
        amount_cents=180_000,
        fiscal_year=fiscal_year_of(day),
        effective_on=day,
    )
    sign_in(phone, admin_user)
    phone.goto(f"/congregations/{member.slug}/dues/")
    phone.get_by_role("link", name="Record a payment").click()
    phone.get_by_label("Amount ($)").fill("1200")
    phone.get_by_label("Reference number").fill("4471")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url(f"**/congregations/{member.slug}/dues/")
    assert phone.get_by_role("status").filter(has_text="Payment recorded").is_visible()
    screenshot(phone, "dues-admin-recorded-payment")
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, wide
    assert LedgerEntry.objects.get(kind=EntryKind.PAYMENT).amount_cents == -120_000
    phone.goto("/dues/")
    assert phone.get_by_test_id("collection-rate").inner_text() == "67%"
    assert phone.locator("svg.dues-chart rect").count() == 24
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "dues-network")

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
        locale="en-US",
    )
    try:
        lead_phone = context.new_page()
        sign_in(lead_phone, lead)
        standing = lead_phone.get_by_test_id("dues-standing")
        assert "in good standing" in standing.inner_text()
        assert "$1,800 assessed · $1,200 paid · balance $600" in standing.inner_text()
        assert lead_phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(lead_phone, "dues-lead-home")
        standing.get_by_role("link").click()
        lead_phone.wait_for_url(f"**/congregations/{member.slug}/dues/")
        statement = lead_phone.get_by_test_id("statement")
        assert "$600.00" in statement.inner_text()
        assert lead_phone.get_by_role("link", name="Record a payment").count() == 0
        screenshot(lead_phone, "dues-lead-statement")
    finally:
        context.close()
