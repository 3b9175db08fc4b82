"""The people import against a raw COPY of the same rows (issue 16, Must 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_bulk \\
        .venv/bin/python -m bench import --rows 100000

Writes ROWS people like the bench's (the demo's name pools, 72% with an email, 80% with a
phone, a congregation by name or slug, a ZIP, a language, a tag on some) as a CSV, then times:

- the import: `members.services.people_import`, the service `manage.py import_people` and the
  browser's worker call (parse, validate, match against everyone, write people, memberships
  and tags, the audit row), inside a transaction that is rolled back at the end;
- a raw COPY of the same rows into the tables the import writes: the people (their cleaned
  values) into members_person and a membership each into congregations_membership, ids drawn
  from the sequences as the import draws them, rolled back. This is the goal's reference: the
  same rows, the same tables, the same indexes (at 1M, four trigram GIN among them);
- a raw COPY of the people alone into an empty scratch table of members_person's shape and
  indexes (`LIKE members_person INCLUDING ALL`), rolled back: the fastest PostgreSQL takes
  these rows at all, a stricter bar (empty indexes cost less to grow).

Each is preceded by a VACUUM of the tables written, so that the dead rows a rolled-back run
leaves in their indexes do not slow the next. Prints rows/s of each and the import's share of
the COPYs' speed (the goal: at least 25% of the first). The database must contain "bench" in
its name; nothing is left in it.
"""

import argparse
import csv
import io
import random
import sys
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bench.bulk import Loader
from congregations.models import Congregation, MembershipRole
from members.bulk import draw_ids
from members.demo import AREA_CODES, FIRST, LAST, TAGS, _ascii
from members.models import Person
from members.services import people_import

COLUMNS = ["first_name", "last_name", "email", "phone", "street", "town", "zip", "language"]
HEADER = ["First Name", "Last Name", "Email", "Phone", "Congregation", "Street", "City", "ZIP"]
HEADER += ["Language", "Tags"]


def people_csv(rows: int, seed: int = 16) -> tuple[bytes, list[tuple]]:
    """A CSV of `rows` new people (UTF-8 bytes) and their cleaned values (COLUMNS order, then
    their congregation's id). Emails use a domain nobody in the bench has, so every row is a
    new person."""
    rng = random.Random(seed)
    congregations = list(Congregation.objects.values_list("name", "slug", "town", "zip", "pk"))
    if not congregations:
        sys.exit("no congregations: seed the database first (python -m bench seed)")
    pools = sorted(FIRST)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    values = []
    for i in range(rows):
        pool = rng.choice(pools)
        first = rng.choice(FIRST[pool])
        last = rng.choice(LAST.get(pool, LAST["general"]))
        name, slug, town, zip_code, congregation_id = rng.choice(congregations)
        email = ""
        if rng.random() < 0.72:
            email = f"{_ascii(first)}.{_ascii(last)}.{i}@import.example.org".replace(" ", "")
            email = email.lower()
        phone = ""
        if rng.random() < 0.8:
            phone = f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        street = f"{rng.randint(1, 400)} Main St"
        language = rng.choice(["en", "es", "en", "en"])
        tags = rng.choice(TAGS) if rng.random() < 0.15 else ""
        writer.writerow(
            [first, last, email, phone, rng.choice([name, slug]), street, town, zip_code]
            + [language, tags]
        )
        values.append(
            (first, last, email, phone, street, town, zip_code, language, congregation_id)
        )
    return out.getvalue().encode("utf-8"), values


TABLES = ["members_person", "congregations_membership", "members_person_tags"]


def vacuum() -> None:
    """Clear the dead rows an earlier rolled-back run left in the tables (and their indexes).
    Not inside a transaction (a test's), where VACUUM cannot run."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")


def time_import(data: bytes) -> tuple[float, dict]:
    """Seconds for people_import of `data` (rolled back), and its counts."""
    vacuum()
    started = time.perf_counter()
    with transaction.atomic():
        plan = people_import(
            text=data, by=None, congregations=Congregation.objects.all(), filename="bench.csv"
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, plan.counts


def _copy_people(cursor, table: str, values: list[tuple], ids: list[int] | None) -> None:
    others, defaults = Loader()._fill(Person, COLUMNS)
    names = [*(["id"] if ids else []), *COLUMNS, *others]
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for i, row in enumerate(values):
            copy.write_row((*([ids[i]] if ids else []), *row[: len(COLUMNS)], *defaults))


def time_copy(values: list[tuple]) -> float:
    """Seconds for a raw COPY of `values` into members_person and of their memberships into
    congregations_membership (ids drawn from the sequences first), rolled back."""
    vacuum()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        ids = draw_ids(Person._meta.db_table, len(values))
        _copy_people(cursor, "members_person", values, ids)
        columns = "person_id, congregation_id, is_primary, role, created_at"
        with cursor.cursor.copy(f"COPY congregations_membership ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, values, strict=True):
                copy.write_row((pk, row[-1], True, MembershipRole.MEMBER, now))
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def time_copy_empty(values: list[tuple]) -> float:
    """Seconds for a raw COPY of `values` into an empty copy of members_person (same columns,
    indexes and constraints), rolled back."""
    vacuum()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_import_copy (LIKE members_person INCLUDING ALL)")
        started = time.perf_counter()
        _copy_people(cursor, "bench_import_copy", values, None)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def measure(rows: int, seed: int = 16) -> dict:
    data, values = people_csv(rows, seed)
    import_seconds, counts = time_import(data)
    copy_seconds = time_copy(values)
    empty_seconds = time_copy_empty(values)
    return {
        "rows": rows,
        "import_s": import_seconds,
        "import_rows_s": rows / import_seconds,
        "copy_s": copy_seconds,
        "copy_rows_s": rows / copy_seconds,
        "ratio": copy_seconds / import_seconds,
        "copy_empty_s": empty_seconds,
        "copy_empty_rows_s": rows / empty_seconds,
        "ratio_empty": empty_seconds / import_seconds,
        "counts": counts,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    name = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(f"refusing: {name!r} is not a PostgreSQL database named for the bench")
    people = Person.objects.count()
    result = measure(args.rows, args.seed)
    print(f"{people:,} people in {name}; {args.rows:,} rows ({result['counts']})")
    print(f"import: {result['import_s']:.1f} s = {result['import_rows_s']:,.0f} rows/s")
    print(
        f"COPY into members_person + memberships: {result['copy_s']:.1f} s "
        f"= {result['copy_rows_s']:,.0f} rows/s"
    )
    print(
        f"COPY of the people into an empty table: {result['copy_empty_s']:.1f} s "
        f"= {result['copy_empty_rows_s']:,.0f} rows/s"
    )
    print(f"import / COPY into the real tables: {result['ratio']:.1%} (goal: at least 25%)")
    print(f"import / COPY into an empty table: {result['ratio_empty']:.1%}")
