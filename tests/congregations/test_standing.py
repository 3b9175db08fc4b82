"""Balances, paid this year, aging buckets and standing: aggregate queries, FIFO aging."""

import datetime

import pytest
from freezegun import freeze_time

from congregations.models import Congregation, EntryKind
from congregations.selectors import (
    congregations_with_dues,
    dues_by_month,
    dues_congregations_visible_to,
    dues_network_totals,
    dues_statement,
    ledger_entries_visible_to,
    standing_from_totals,
)
from congregations.services import dues_assess_year, ledger_entry_reverse
from tests.congregations.conftest import TODAY
from tests.congregations.factories import LedgerEntryFactory
from tests.factories import CongregationFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def entry(congregation, cents, days, kind=EntryKind.ADJUSTMENT, **extra):
    if kind == EntryKind.PAYMENT:
        extra.setdefault("method", "check")
    return LedgerEntryFactory(
        congregation=congregation,
        kind=kind,
        amount_cents=cents,
        effective_on=days_ago(days),
        **extra,
    )


def standing(congregation):
    return (
        congregations_with_dues(Congregation.objects.filter(pk=congregation.pk), today=TODAY)
        .get()
        .dues
    )


def test_fifo_aging_payments_settle_the_oldest_charges(congregation):
    entry(congregation, 100_00, 120)  # 90+
    entry(congregation, 200_00, 75)  # 61–90
    entry(congregation, 300_00, 45)  # 31–60
    entry(congregation, 400_00, 10)  # 0–30
    entry(congregation, -150_00, 5, kind=EntryKind.PAYMENT)  # pays the 120-day charge, 50 more
    s = standing(congregation)
    assert s.balance_cents == 850_00
    assert s.aging == (400_00, 300_00, 150_00, 0)
    assert sum(s.aging) == s.balance_cents
    assert s.overdue_cents == 0 and not s.in_arrears
    assert s.oldest_bucket == "61–90 days"


def test_in_arrears_past_the_configured_days(congregation, settings):
    entry(congregation, 100_00, 100)
    assert standing(congregation).in_arrears
    assert standing(congregation).aging == (0, 0, 0, 100_00)
    settings.CONECT = {**settings.CONECT, "DUES_ARREARS_DAYS": 120}
    fresh = standing(congregation)
    assert not fresh.in_arrears and fresh.arrears_days == 120


def test_credit_balance_has_no_aging(congregation):
    entry(congregation, 100_00, 100)
    entry(congregation, -300_00, 1, kind=EntryKind.PAYMENT)
    s = standing(congregation)
    assert s.balance_cents == -200_00 and s.aging == (0, 0, 0, 0) and not s.in_arrears


def test_reversed_charge_drops_out_of_aging(congregation, admin_user):
    old = entry(congregation, 100_00, 200)
    entry(congregation, 50_00, 10)
    ledger_entry_reverse(entry=old, by=admin_user, memo="wrong tier", on=days_ago(1))
    s = standing(congregation)
    assert s.balance_cents == 50_00 and s.aging == (50_00, 0, 0, 0) and not s.in_arrears


def test_bounced_payment_brings_the_debt_back(congregation, admin_user):
    entry(congregation, 100_00, 200)
    payment = entry(congregation, -100_00, 150, kind=EntryKind.PAYMENT)
    assert not standing(congregation).in_arrears
    ledger_entry_reverse(entry=payment, by=admin_user, memo="bounced", on=days_ago(2))
    s = standing(congregation)
    assert s.balance_cents == 100_00 and s.aging == (0, 0, 0, 100_00) and s.in_arrears


@freeze_time("2026-11-25 12:00:00")
def test_assessed_and_paid_this_fiscal_year(member, admin_user):
    dues_assess_year(fiscal_year=2026)  # last year: unpaid, 90+
    dues_assess_year(fiscal_year=2027)
    entry(member, -120_000, 20, kind=EntryKind.PAYMENT, fiscal_year=2027)
    s = member.dues  # no annotations: the property runs one query
    assert (s.fiscal_year, s.fiscal_year_label) == (2027, "FY27")
    assert (s.assessed_cents, s.paid_cents) == (180_000, 120_000)
    assert s.balance_cents == 240_000
    assert s.in_arrears  # FY26's $1,800 is long overdue, so $600 of it is 90+


def test_standing_from_totals_covers_every_bucket():
    s = standing_from_totals(
        year=2027, balance=1000, assessed=0, paid=0, recent={30: 100, 60: 300, 90: 600}
    )
    assert s.aging == (100, 200, 300, 400) and s.overdue_cents == 400


def test_statement_has_a_running_balance(congregation):
    entry(congregation, 100_00, 30)
    entry(congregation, -40_00, 20, kind=EntryKind.PAYMENT)
    entry(congregation, 10_00, 10)
    opening, rows = dues_statement(congregation)
    assert opening == 0
    assert [r.running_balance for r in rows] == [100_00, 60_00, 70_00]


def test_statement_of_one_fiscal_year_starts_from_the_opening_balance(congregation):
    LedgerEntryFactory(
        congregation=congregation,
        amount_cents=500_00,
        fiscal_year=2026,
        effective_on=datetime.date(2026, 5, 1),
    )
    LedgerEntryFactory(
        congregation=congregation,
        amount_cents=-200_00,
        kind=EntryKind.PAYMENT,
        method="ach",
        fiscal_year=2027,
        effective_on=datetime.date(2026, 8, 1),
    )
    LedgerEntryFactory(
        congregation=congregation,
        amount_cents=50_00,
        fiscal_year=2027,
        effective_on=datetime.date(2026, 9, 1),
    )
    opening, rows = dues_statement(congregation, fiscal_year=2027)
    assert opening == 500_00
    assert [r.running_balance for r in rows] == [300_00, 350_00]


def test_one_query_for_many_congregations(django_assert_num_queries):
    for i in range(12):
        c = CongregationFactory()
        entry(c, 100_00 * (i + 1), 100)
    with django_assert_num_queries(1):
        rows = list(congregations_with_dues(Congregation.objects.all(), today=TODAY))
        totals = dues_network_totals(rows)
    assert totals["balance_cents"] == sum(100_00 * (i + 1) for i in range(12))
    assert totals["in_arrears"] == 12 and totals["count"] == 12


def test_by_month_is_one_query(congregation, django_assert_num_queries):
    entry(congregation, 180_000, 10, kind=EntryKind.ASSESSMENT, fiscal_year=2027)
    entry(congregation, -50_000, 5, kind=EntryKind.PAYMENT)
    with django_assert_num_queries(1):
        series = dues_by_month(Congregation.objects.all(), today=TODAY)
    assert len(series) == 12 and series[-1]["month"] == datetime.date(2026, 11, 1)
    assert (series[-1]["assessed_cents"], series[-1]["paid_cents"]) == (180_000, 50_000)


class TestScoping:
    def test_lead_sees_only_their_congregations_dues(self, lead, congregation, other_congregation):
        entry(congregation, 100, 1)
        entry(other_congregation, 200, 1)
        assert list(dues_congregations_visible_to(lead)) == [congregation]
        assert [e.amount_cents for e in ledger_entries_visible_to(lead)] == [100]

    def test_leader_sees_no_dues(self, leader, congregation):
        entry(congregation, 100, 1)
        assert not dues_congregations_visible_to(leader).exists()
        assert not ledger_entries_visible_to(leader).exists()

    def test_admin_and_network_organizer_see_all(
        self, admin_user, network_organizer, congregation, other_congregation
    ):
        for user in (admin_user, network_organizer):
            assert dues_congregations_visible_to(user).count() == 2

    def test_organizer_sees_assigned(self, organizer, congregation, other_congregation):
        assert list(dues_congregations_visible_to(organizer)) == [congregation]
