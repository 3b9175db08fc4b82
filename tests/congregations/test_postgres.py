"""PostgreSQL: the triggers, and exact balances under many concurrent payments and reversals.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_dues \
  pytest -m postgres tests/congregations
"""

import datetime
import random
import threading
import time
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from congregations.models import Congregation, EntryKind, LedgerEntry, PaymentMethod
from congregations.selectors import congregations_with_dues
from congregations.services import LedgerError, ledger_entry_reverse, ledger_payment_record
from tests.congregations.factories import LedgerEntryFactory
from tests.factories import CongregationFactory, UserFactory

pytestmark = pytest.mark.postgres

THREADS = 8
OPS_PER_THREAD = 250


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE congregations_ledgerentry SET amount_cents = 1",
        "DELETE FROM congregations_ledgerentry",
        "TRUNCATE congregations_ledgerentry CASCADE",
    ],
)
def test_postgres_refuses_update_delete_truncate(sql, congregation):
    entry = LedgerEntryFactory(congregation=congregation, amount_cents=4_200)
    with connection.cursor() as cursor:  # fire the deferred FK checks, or TRUNCATE refuses first
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == 4_200


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_and_reversals_keep_the_balance_exact(wipe_ledger_after, capsys):
    congregations = CongregationFactory.create_batch(3)
    admin = UserFactory(role="admin")
    today = datetime.date.today()
    # Entries every thread will race to reverse.
    targets = [
        ledger_payment_record(
            congregation=congregations[i % 3],
            amount_cents=1_000 + i,
            received_on=today,
            method=PaymentMethod.CHECK,
            idempotency_key=f"seed-{i}",
            by=admin,
        )[0].pk
        for i in range(60)
    ]
    start_total = sum(LedgerEntry.objects.values_list("amount_cents", flat=True))
    barrier = threading.Barrier(THREADS)
    results = []
    lock = threading.Lock()

    def worker(n):
        rng = random.Random(n)
        posted, reversed_ok, refused, duplicates, errors = 0, [], 0, 0, []
        try:
            congregation_objs = list(
                Congregation.objects.filter(pk__in=[c.pk for c in congregations])
            )
            barrier.wait()
            for _ in range(OPS_PER_THREAD):
                roll = rng.random()
                try:
                    if roll < 0.5:  # a payment whose key other threads may also submit
                        key = rng.randrange(400)
                        entry, created = ledger_payment_record(
                            congregation=congregation_objs[key % 3],
                            amount_cents=100 + key,
                            received_on=today,
                            method=PaymentMethod.ACH,
                            idempotency_key=f"shared-{key}",
                            by=admin,
                        )
                        if created:
                            posted += entry.amount_cents
                        else:
                            duplicates += 1
                    elif roll < 0.8:  # a unique payment
                        entry, _ = ledger_payment_record(
                            congregation=rng.choice(congregation_objs),
                            amount_cents=rng.randint(1, 100_000),
                            received_on=today,
                            method=PaymentMethod.CARD,
                            idempotency_key=uuid.uuid4().hex,
                            by=admin,
                        )
                        posted += entry.amount_cents
                    else:  # race to reverse one of the shared targets
                        target = LedgerEntry.objects.get(pk=rng.choice(targets))
                        reversal = ledger_entry_reverse(entry=target, by=admin, memo="race")
                        reversed_ok.append((target.pk, reversal.amount_cents))
                except LedgerError:
                    refused += 1
        except Exception as error:  # surfaced below: a thread must not fail silently
            errors.append(repr(error))
        finally:
            connection.close()
        with lock:
            results.append((posted, reversed_ok, refused, duplicates, errors))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    assert [e for r in results for e in r[4]] == []
    ops = THREADS * OPS_PER_THREAD
    expected = start_total + sum(r[0] for r in results)
    expected += sum(amount for r in results for _pk, amount in r[1])
    total = sum(LedgerEntry.objects.values_list("amount_cents", flat=True))
    assert total == expected
    annotated = congregations_with_dues(
        Congregation.objects.filter(pk__in=[c.pk for c in congregations])
    )
    assert sum(c.dues.balance_cents for c in annotated) == total
    # Each target reversed at most once, by exactly one winner; the losers got LedgerError.
    winners = [pk for r in results for pk, _amount in r[1]]
    assert len(winners) == len(set(winners))
    assert set(winners) == set(
        LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).values_list("reverses_id", flat=True)
    )
    # Each shared key posted once, whatever the number of submissions.
    shared = LedgerEntry.objects.filter(idempotency_key__startswith="payment:shared-")
    assert shared.count() == len(set(shared.values_list("idempotency_key", flat=True)))
    assert sum(r[3] for r in results) > 0 and sum(r[2] for r in results) > 0
    with capsys.disabled():
        print(
            f"\n[dues] {ops} concurrent ledger operations on {THREADS} threads in "
            f"{elapsed:.2f} s: {ops / elapsed:.0f} ops/s"
        )
