"""Money entered once (issue 11, Must 7): a second payment with the same congregation, amount,
date and reference within CONECT["DUPLICATE_PAYMENT_DAYS"] is refused with a link to the first;
an admin may record it anyway, saying why.

The reported case: Save, browser Back, Save gave two identical $1,000 entries. Back that shows
the page from the browser's cache re-posts the same idempotency key (posted once); Back that
fetches the page again (no-store pages always do) gets a new key, which the key cannot catch."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from congregations.models import EntryKind, LedgerEntry, PaymentMethod
from congregations.services import DuplicatePayment, ledger_entry_reverse, ledger_payment_record

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - datetime.timedelta(days=3)
CHECK = {
    "amount": "1000.00",
    "received_on": DAY.isoformat(),
    "method": "check",
    "reference": "4417",
    "memo": "",
}


def payments():
    return LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).order_by("pk")


def fresh_form(client, congregation):
    """The payment page as the browser fetches it: a new idempotency key each time."""
    page = client.get(reverse("congregations:payment_new", args=[congregation.slug]))
    assert page.status_code == 200
    return page


def save(client, congregation, page, **extra):
    key = page.context["form"].initial["idempotency_key"]
    url = reverse("congregations:payment_new", args=[congregation.slug])
    return client.post(url, {**CHECK, "idempotency_key": key, **extra})


def test_save_back_save_is_refused_with_a_link_to_the_first(
    client, login, admin_user, congregation
):
    login(client, admin_user)
    assert save(client, congregation, fresh_form(client, congregation)).status_code == 302
    first = payments().get()
    again = save(client, congregation, fresh_form(client, congregation))  # Back, then Save
    assert again.status_code == 400
    body = again.content.decode()
    assert f"#entry-{first.pk}" in body and 'data-testid="duplicate-payment"' in body
    assert 'name="record_anyway"' in body and 'name="duplicate_reason"' in body
    assert payments().count() == 1
    statement = client.get(reverse("congregations:dues", args=[congregation.slug])).content
    assert f'id="entry-{first.pk}"'.encode() in statement  # where the link lands


def test_back_from_the_cache_reposts_the_same_key_and_posts_once(
    client, login, admin_user, congregation
):
    login(client, admin_user)
    page = fresh_form(client, congregation)
    save(client, congregation, page)
    again = save(client, congregation, page)
    assert again.status_code == 302 and payments().count() == 1


def test_the_override_is_offered_only_after_a_refusal(client, login, admin_user, congregation):
    body = fresh_form(login(client, admin_user), congregation).content.decode()
    assert 'name="record_anyway"' not in body and 'name="duplicate_reason"' not in body


def test_record_it_anyway_needs_a_reason(client, login, admin_user, congregation):
    login(client, admin_user)
    save(client, congregation, fresh_form(client, congregation))
    page = fresh_form(client, congregation)
    refused = save(client, congregation, page, record_anyway="on", duplicate_reason="  ")
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert payments().count() == 1
    reason = "Two checks with one number: the bank confirmed both"
    recorded = save(client, congregation, page, record_anyway="on", duplicate_reason=reason)
    assert recorded.status_code == 302
    first, second = payments()
    assert (second.duplicate_of, second.duplicate_reason) == (first, reason)
    statement = client.get(reverse("congregations:dues", args=[congregation.slug])).content
    assert reason.encode() in statement


@pytest.mark.parametrize(
    "other",
    [
        {"amount": "999.00"},
        {"received_on": (DAY - datetime.timedelta(days=1)).isoformat()},
        {"reference": "4418"},
    ],
)
def test_a_different_payment_is_not_a_duplicate(client, login, admin_user, congregation, other):
    login(client, admin_user)
    save(client, congregation, fresh_form(client, congregation))
    assert save(client, congregation, fresh_form(client, congregation), **other).status_code == 302
    assert payments().count() == 2


def record(congregation, admin, **extra):
    arguments = {
        "congregation": congregation,
        "amount_cents": 100_000,
        "received_on": DAY,
        "method": PaymentMethod.CHECK,
        "reference": "4417",
        "idempotency_key": uuid.uuid4().hex,
        "by": admin,
        **extra,
    }
    return ledger_payment_record(**arguments)


def test_the_service_refuses_whoever_calls_it(congregation, admin_user, other_congregation):
    first, _created = record(congregation, admin_user)
    with pytest.raises(DuplicatePayment) as refusal:
        record(congregation, admin_user, reference=" 4417 ")  # the same check, typed loosely
    assert refusal.value.first == first
    record(other_congregation, admin_user)  # another congregation's check 4417 is theirs


def test_a_reversed_payment_can_be_entered_again(congregation, admin_user):
    first, _created = record(congregation, admin_user)
    ledger_entry_reverse(entry=first, by=admin_user, memo="posted with the wrong date")
    again, created = record(congregation, admin_user)
    assert created and again.duplicate_of is None


def test_outside_the_window_it_is_not_a_duplicate(congregation, admin_user, settings):
    settings.CONECT = {"DUPLICATE_PAYMENT_DAYS": 30}
    first, _created = record(congregation, admin_user)
    later = timezone.now() + datetime.timedelta(days=31)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        _again, created = record(congregation, admin_user)
    assert created


def test_the_database_refuses_a_duplicate_without_a_reason(congregation, admin_user):
    first, _created = record(congregation, admin_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            congregation=congregation,
            kind=EntryKind.PAYMENT,
            amount_cents=-100_000,
            fiscal_year=first.fiscal_year,
            effective_on=DAY,
            method=PaymentMethod.CHECK,
            idempotency_key="x",
            duplicate_of=first,
        )
