"""Property: whatever sequence of operations, the balance equals the sum of the entries, the
aging buckets add up to what is owed, and every reversal cancels exactly one entry."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congregations.models import Congregation, EntryKind, LedgerEntry, PaymentMethod
from congregations.selectors import congregations_with_dues, dues_statement
from congregations.services import (
    LedgerError,
    dues_assess_year,
    ledger_adjustment_post,
    ledger_entry_reverse,
    ledger_payment_record,
)
from tests.congregations.conftest import TODAY

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=5_000_000)
days = st.integers(min_value=0, max_value=400)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), amounts, days, st.integers(0, 5)),
        st.tuples(st.just("adjust"), st.integers(-500_000, 500_000).filter(bool), days),
        st.tuples(st.just("reverse"), st.integers(0, 50)),
        st.tuples(st.just("assess"), st.sampled_from([2025, 2026, 2027])),
    ),
    max_size=25,
)


class Rollback(Exception):
    pass


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_balance_is_always_the_sum_of_entries(member, admin_user, ops):
    try:
        with transaction.atomic():
            expected = _apply(member, admin_user, ops)
            _check(member, expected)
            raise Rollback
    except Rollback:
        pass


def _apply(congregation, admin, ops) -> int:
    expected = 0
    for n, op in enumerate(ops):
        if op[0] == "pay":
            _, cents, ago, key = op  # small key space: repeated keys must post once
            entry, created = _maybe(
                ledger_payment_record,
                congregation=congregation,
                amount_cents=cents,
                received_on=TODAY - datetime.timedelta(days=ago),
                method=PaymentMethod.ACH,
                idempotency_key=f"{key}-{cents}",
                by=admin,
            ) or (None, False)
            expected -= cents if created else 0
        elif op[0] == "adjust":
            _, cents, ago = op
            ledger_adjustment_post(
                congregation=congregation,
                amount_cents=cents,
                effective_on=TODAY - datetime.timedelta(days=ago),
                memo="property",
                idempotency_key=f"adj-{n}",
                by=admin,
            )
            expected += cents
        elif op[0] == "reverse":
            entries = list(LedgerEntry.objects.order_by("id"))
            if entries:
                target = entries[op[1] % len(entries)]
                reversal = _maybe(ledger_entry_reverse, entry=target, by=admin, memo="property")
                expected += reversal.amount_cents if reversal else 0
        else:
            posted = dues_assess_year(fiscal_year=op[1]).posted
            expected += sum(e.amount_cents for e in posted)
    return expected


def _maybe(function, **kwargs):
    try:
        return function(**kwargs)
    except LedgerError:
        return None


def _check(congregation, expected):
    rows = list(LedgerEntry.objects.filter(congregation=congregation))
    total = sum(e.amount_cents for e in rows)
    standing = (
        congregations_with_dues(Congregation.objects.filter(pk=congregation.pk), today=TODAY)
        .get()
        .dues
    )
    assert standing.balance_cents == total == expected
    assert sum(standing.aging) == max(total, 0)
    assert all(bucket >= 0 for bucket in standing.aging)
    assert 0 <= standing.overdue_cents <= max(total, 0)
    statement = list(dues_statement(congregation)[1])
    assert (statement[-1].running_balance if statement else 0) == total
    by_pk = {e.pk: e for e in rows}
    reversals = [e for e in rows if e.kind == EntryKind.REVERSAL]
    assert len({e.reverses_id for e in reversals}) == len(reversals)
    for reversal in reversals:
        original = by_pk[reversal.reverses_id]
        assert reversal.amount_cents == -original.amount_cents
        assert original.kind != EntryKind.REVERSAL
    assert len({(e.fiscal_year) for e in rows if e.kind == EntryKind.ASSESSMENT}) == len(
        [e for e in rows if e.kind == EntryKind.ASSESSMENT]
    )
