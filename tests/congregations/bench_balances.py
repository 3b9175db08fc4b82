"""By hand, not in the suite: balance query time for 37 congregations over 1,000,000 entries.

    createdb -h 127.0.0.1 -U postgres conect_dues_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_dues_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python -m tests.congregations.bench_balances [--entries 1000000]

It fills the ledger with generate_series (assessments, payments, adjustments and reversals over
~27 fiscal years), VACUUM ANALYZEs, then times the reads the pages make (median of 7 runs).
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
django.setup()

from django.db import connection  # noqa: E402

from congregations.models import Congregation, LedgerEntry  # noqa: E402
from congregations.selectors import (  # noqa: E402
    congregations_with_dues,
    dues_by_month,
    dues_network_totals,
    dues_statement,
)


def fill(entries: int) -> None:
    if Congregation.objects.count() < 37:
        Congregation.objects.bulk_create(
            Congregation(name=f"Bench {i:02d}", slug=f"bench-{i:02d}", tradition="other", town="X")
            for i in range(37)
        )
    ids = list(Congregation.objects.order_by("id").values_list("id", flat=True)[:37])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM congregations_ledgerentry")
        if cursor.fetchone()[0] >= entries:
            return
        years = 27  # one assessment per congregation per fiscal year, 2000..2026
        cursor.execute(
            """INSERT INTO congregations_ledgerentry (congregation_id, kind, amount_cents,
                fiscal_year, effective_on, method, reference, memo, idempotency_key, created_at)
            SELECT c, 'assessment', 180000, y, make_date(y - 1, 7, 1), '', '', 'bench',
                   'bench-a:' || c || ':' || y, now()
            FROM unnest(%s::bigint[]) AS c, generate_series(2000, 1999 + %s) AS y""",
            [ids, years],
        )
        rest = entries - 37 * years
        cursor.execute(
            """INSERT INTO congregations_ledgerentry (congregation_id, kind, amount_cents,
                fiscal_year, effective_on, method, reference, memo, idempotency_key, created_at)
            SELECT (%s::bigint[])[1 + i %% 37],
                   CASE WHEN i %% 10 = 0 THEN 'adjustment' ELSE 'payment' END,
                   CASE WHEN i %% 10 = 0 THEN 500 ELSE -(100 + i %% 9000) END,
                   2000 + (i %% 9862) / 365,
                   date '1999-07-01' + (i %% 9862),
                   CASE WHEN i %% 10 = 0 THEN '' ELSE 'ach' END, '', 'bench',
                   'bench-p:' || i, now()
            FROM generate_series(1, %s) AS i""",
            [ids, rest],
        )
        # Reverse 1% of the adjustments, as corrections would.
        cursor.execute(
            """INSERT INTO congregations_ledgerentry (congregation_id, kind, amount_cents,
                fiscal_year, effective_on, method, reference, memo, idempotency_key, reverses_id,
                created_at)
            SELECT congregation_id, 'reversal', -amount_cents, fiscal_year, effective_on + 3, '',
                   '', 'bench', 'bench-r:' || id, id, now()
            FROM congregations_ledgerentry WHERE kind = 'adjustment' AND id %% 100 = 0""",
            [],
        )
    connection.commit() if not connection.get_autocommit() else None
    old = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE congregations_ledgerentry")
    connection.set_autocommit(old)


def timed(label: str, run, repeat: int = 7) -> float:
    run()  # warm the cache: we measure the query, not the first disk read
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    print(f"{label:<62} median {median:8.1f} ms  (min {min(samples):.1f}, max {max(samples):.1f})")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run this against PostgreSQL"
    started = time.perf_counter()
    fill(args.entries)
    count = LedgerEntry.objects.count()
    took = time.perf_counter() - started
    print(f"{count:,} ledger entries, 37 congregations (filled in {took:.1f} s)")
    congregations = Congregation.objects.order_by("id")[:37]
    ids = list(congregations.values_list("id", flat=True))
    scope = Congregation.objects.filter(id__in=ids)

    def plain_balances():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT congregation_id, SUM(amount_cents) FROM congregations_ledgerentry "
                "WHERE congregation_id = ANY(%s) GROUP BY congregation_id",
                [ids],
            )
            return cursor.fetchall()

    timed("balances only: one GROUP BY over all entries (raw SQL)", plain_balances)
    timed(
        "congregations_with_dues: balance+aging+FY for 37 (the /dues/ query)",
        lambda: dues_network_totals(list(congregations_with_dues(scope))),
    )
    timed("Congregation.dues for one congregation", lambda: scope.first().dues)
    timed("dues_by_month: 12-month chart", lambda: dues_by_month(scope))
    one = scope.first()
    timed(
        "dues_statement: one fiscal year of one congregation",
        lambda: len(list(dues_statement(one, fiscal_year=2026)[1])),
    )
    timed(
        "dues_statement: all ~27,000 entries of one congregation",
        lambda: len(list(dues_statement(one)[1])),
        3,
    )
    with connection.cursor() as cursor:
        sql, params = congregations_with_dues(scope).query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    print("plan of the /dues/ query (first lines):")
    for line in plan[:14]:
        print("   ", line)
    print("   ", plan[-1])


if __name__ == "__main__":
    main()
