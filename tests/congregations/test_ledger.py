"""The ledger is append-only, in the database and in the ORM; services keep its rules."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from congregations.ledger_triggers import wipe_ledger
from congregations.models import AppendOnlyError, EntryKind, LedgerEntry, PaymentMethod
from congregations.services import (
    LedgerError,
    ledger_adjustment_post,
    ledger_entry_reverse,
    ledger_payment_record,
)
from tests.congregations.factories import LedgerEntryFactory

pytestmark = pytest.mark.django_db


def pay(congregation, admin, cents=50_000, key="k1", day=datetime.date(2026, 10, 1)):
    return ledger_payment_record(
        congregation=congregation,
        amount_cents=cents,
        received_on=day,
        method=PaymentMethod.CHECK,
        reference="1042",
        idempotency_key=key,
        by=admin,
    )


class TestDatabaseRefusesChanges:
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE congregations_ledgerentry SET amount_cents = 1",
            "UPDATE congregations_ledgerentry SET memo = 'edited' WHERE id = %s",
            "DELETE FROM congregations_ledgerentry",
            "DELETE FROM congregations_ledgerentry WHERE id = %s",
        ],
    )
    def test_raw_sql_update_and_delete_are_refused(self, sql, congregation):
        entry = LedgerEntryFactory(congregation=congregation, amount_cents=12_345)
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk] if "%s" in sql else None)
        row = LedgerEntry.objects.get(pk=entry.pk)
        assert (row.amount_cents, row.memo) == (12_345, "test entry")

    def test_orm_refuses_too(self, congregation):
        entry = LedgerEntryFactory(congregation=congregation)
        entry.memo = "edited"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            LedgerEntry.objects.filter(pk=entry.pk).update(memo="x")
        with pytest.raises(AppendOnlyError):
            LedgerEntry.objects.all().delete()
        assert LedgerEntry.objects.get(pk=entry.pk).memo == "test entry"

    def test_congregation_with_entries_cannot_be_deleted(self, congregation):
        from django.db.models import ProtectedError

        LedgerEntryFactory(congregation=congregation)
        with pytest.raises(ProtectedError):
            congregation.delete()

    def test_wipe_empties_and_reinstalls_the_triggers(self, congregation):
        LedgerEntryFactory(congregation=congregation)
        with transaction.atomic():
            wipe_ledger(connection)
        assert not LedgerEntry.objects.exists()
        entry = LedgerEntryFactory(congregation=congregation)
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM congregations_ledgerentry WHERE id = %s", [entry.pk])

    @pytest.mark.parametrize(
        ("fields", "constraint"),
        [
            ({"amount_cents": 0}, "not_zero"),
            ({"kind": EntryKind.ASSESSMENT, "amount_cents": -5}, "assessment_positive"),
            ({"kind": EntryKind.PAYMENT, "amount_cents": 500, "method": "check"}, "payment"),
            ({"kind": EntryKind.PAYMENT, "amount_cents": -500, "method": ""}, "payment"),
            ({"kind": EntryKind.REVERSAL, "amount_cents": -500}, "reversal"),
        ],
    )
    def test_check_constraints(self, congregation, fields, constraint):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            LedgerEntryFactory(congregation=congregation, **fields)


class TestPayments:
    def test_payment_reduces_the_balance(self, congregation, admin_user):
        entry, created = pay(congregation, admin_user)
        assert created and entry.amount_cents == -50_000 and entry.kind == EntryKind.PAYMENT
        assert entry.fiscal_year == 2027  # October 2026 is in FY27
        assert entry.created_by == admin_user

    def test_same_key_posts_once(self, congregation, admin_user):
        first, created_first = pay(congregation, admin_user, key="abc")
        second, created_second = pay(congregation, admin_user, key="abc")
        assert (created_first, created_second) == (True, False)
        assert first.pk == second.pk
        assert LedgerEntry.objects.count() == 1

    def test_same_key_for_a_different_payment_is_refused(self, congregation, admin_user):
        pay(congregation, admin_user, key="abc")
        with pytest.raises(LedgerError, match="different entry"):
            pay(congregation, admin_user, key="abc", cents=1)

    @pytest.mark.parametrize("cents", [0, -100])
    def test_non_positive_payment_is_refused(self, congregation, admin_user, cents):
        with pytest.raises(LedgerError):
            pay(congregation, admin_user, cents=cents)


class TestReversals:
    def test_reversal_cancels_the_entry(self, congregation, admin_user):
        payment, _ = pay(congregation, admin_user)
        reversal = ledger_entry_reverse(entry=payment, by=admin_user, memo="bounced")
        assert reversal.amount_cents == 50_000 and reversal.reverses == payment
        assert reversal.fiscal_year == payment.fiscal_year
        assert sum(LedgerEntry.objects.values_list("amount_cents", flat=True)) == 0

    def test_second_reversal_gets_a_clear_error(self, congregation, admin_user):
        payment, _ = pay(congregation, admin_user)
        ledger_entry_reverse(entry=payment, by=admin_user, memo="bounced")
        with pytest.raises(LedgerError, match="already been reversed"):
            ledger_entry_reverse(entry=payment, by=admin_user, memo="again")
        assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1

    def test_database_allows_one_reversal_per_entry(self, congregation):
        original = LedgerEntryFactory(congregation=congregation)
        LedgerEntryFactory(
            congregation=congregation,
            kind=EntryKind.REVERSAL,
            amount_cents=-10_000,
            reverses=original,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntryFactory(
                congregation=congregation,
                kind=EntryKind.REVERSAL,
                amount_cents=-10_000,
                reverses=original,
            )

    def test_a_reversal_cannot_be_reversed(self, congregation, admin_user):
        payment, _ = pay(congregation, admin_user)
        reversal = ledger_entry_reverse(entry=payment, by=admin_user, memo="bounced")
        with pytest.raises(LedgerError, match="cannot itself be reversed"):
            ledger_entry_reverse(entry=reversal, by=admin_user, memo="oops")

    def test_reversal_needs_a_reason(self, congregation, admin_user):
        payment, _ = pay(congregation, admin_user)
        with pytest.raises(LedgerError):
            ledger_entry_reverse(entry=payment, by=admin_user, memo="  ")


class TestAdjustments:
    def test_credit_and_charge(self, congregation, admin_user):
        common = {"congregation": congregation, "by": admin_user}
        day = datetime.date(2026, 8, 1)
        credit, _ = ledger_adjustment_post(
            amount_cents=-20_000, effective_on=day, memo="waiver", idempotency_key="a", **common
        )
        charge, _ = ledger_adjustment_post(
            amount_cents=5_000, effective_on=day, memo="late fee", idempotency_key="b", **common
        )
        assert (credit.amount_cents, charge.amount_cents) == (-20_000, 5_000)
        with pytest.raises(LedgerError):
            ledger_adjustment_post(
                amount_cents=0, effective_on=day, memo="x", idempotency_key="c", **common
            )
        with pytest.raises(LedgerError):
            ledger_adjustment_post(
                amount_cents=10, effective_on=day, memo="", idempotency_key="d", **common
            )


def test_admin_is_read_only(client, login, admin_user, congregation):
    entry = LedgerEntryFactory(congregation=congregation)
    login(client, admin_user)
    assert client.get("/admin/congregations/ledgerentry/").status_code == 200
    assert client.get(f"/admin/congregations/ledgerentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/congregations/ledgerentry/add/").status_code == 403
    response = client.post(
        f"/admin/congregations/ledgerentry/{entry.pk}/change/", {"memo": "edited"}
    )
    assert response.status_code == 403
    assert client.get(f"/admin/congregations/ledgerentry/{entry.pk}/delete/").status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).memo == "test entry"


def test_seed_demo_reset_works_despite_the_triggers(capsys):
    call_command("seed_demo", "--force", "--people", "50")
    first = LedgerEntry.objects.count()
    assert first > 0
    call_command("seed_demo", "--force", "--people", "50", "--reset")
    assert LedgerEntry.objects.count() == first
    out = capsys.readouterr().out
    assert "dues tiers" in out
