"""On a phone, the reported case: Save, Back, Save records the $1,000 check once; typing the same
check again is refused with a link to the first, and recorded only with a reason."""

import pytest

from congregations.models import EntryKind, LedgerEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_check(page):
    page.get_by_label("Amount ($)").fill("1000")
    page.get_by_label("Reference number").fill("4417")


def test_save_back_save_records_the_check_once(
    phone, sign_in, screenshot, admin_user, member, wipe_ledger_after
):
    statement = f"**/congregations/{member.slug}/dues/"
    payments = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT)
    sign_in(phone, admin_user)
    phone.goto(f"/congregations/{member.slug}/dues/payments/new/")
    fill_check(phone)
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url(statement)
    phone.go_back()  # the browser may show its copy (same key) or fetch a fresh form (new key)
    fill_check(phone)
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_load_state()
    assert payments.count() == 1

    phone.goto(f"/congregations/{member.slug}/dues/payments/new/")  # typed in again, later
    fill_check(phone)
    phone.get_by_role("button", name="Save").click()
    refusal = phone.get_by_test_id("duplicate-payment")
    assert f"entry #{payments.get().pk}" in refusal.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "dues-duplicate-payment-refused")
    assert payments.count() == 1

    refusal.get_by_label("I know: record it anyway, it is another payment").check()
    refusal.get_by_label("Why is it another payment?").fill("Two checks, one number: bank agrees")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url(statement)
    assert payments.count() == 2
    assert "Two checks, one number" in phone.get_by_test_id("statement").inner_text()
