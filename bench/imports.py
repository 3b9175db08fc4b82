"""The people import against a raw COPY of the same rows (issue 16, Must 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_bulk \\
        .venv/bin/python -m bench import --rows 100000

Writes ROWS people like the bench's (the demo's name pools, 72% with an email, 80% with a
phone, a congregation by name or slug, a ZIP, a language, a tag on some) as a CSV, then times:

- the import: `members.services.people_import`, the service `manage.py import_people` and the
  browser's worker call (parse, validate, match against everyone, write people, memberships
  and tags, the audit row), inside a transaction that is rolled back at the end;
- a raw `COPY members_person (...) FROM STDIN` of the same people (their cleaned values) into a
  scratch table of the same shape and indexes (`LIKE members_person INCLUDING ALL`), empty,
  also rolled back: the fastest PostgreSQL can take these rows.

Prints rows/s of both and the import's share of COPY's speed (the goal: at least 25%). The
database must contain "bench" in its name; nothing is left in it.
"""

import argparse
import csv
import io
import random
import sys
import time

from django.conf import settings
from django.db import connection, transaction

from bench.bulk import Loader
from congregations.models import Congregation
from members.demo import AREA_CODES, FIRST, LAST, TAGS, _ascii
from members.models import Person
from members.services import people_import

COLUMNS = ["first_name", "last_name", "email", "phone", "street", "town", "zip", "language"]
HEADER = ["First Name", "Last Name", "Email", "Phone", "Congregation", "Street", "City", "ZIP"]
HEADER += ["Language", "Tags"]


def people_csv(rows: int, seed: int = 16) -> tuple[bytes, list[tuple]]:
    """A CSV of `rows` new people (UTF-8 bytes) and their cleaned values (COLUMNS order).
    Emails use a domain nobody in the bench has, so every row is a new person."""
    rng = random.Random(seed)
    congregations = list(Congregation.objects.values_list("name", "slug", "town", "zip"))
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
        name, slug, town, zip_code = rng.choice(congregations)
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
        values.append((first, last, email, phone, street, town, zip_code, language))
    return out.getvalue().encode("utf-8"), values


def time_import(data: bytes) -> tuple[float, dict]:
    """Seconds for people_import of `data` (rolled back), and its counts."""
    started = time.perf_counter()
    with transaction.atomic():
        plan = people_import(
            text=data, by=None, congregations=Congregation.objects.all(), filename="bench.csv"
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, plan.counts


def time_copy(values: list[tuple]) -> float:
    """Seconds for a raw COPY of `values` into an empty copy of members_person (same columns,
    indexes and constraints), rolled back."""
    others, defaults = Loader()._fill(Person, COLUMNS)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*COLUMNS, *others])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_import_copy (LIKE members_person INCLUDING ALL)")
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY bench_import_copy ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row((*row, *defaults))
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def measure(rows: int, seed: int = 16) -> dict:
    data, values = people_csv(rows, seed)
    import_seconds, counts = time_import(data)
    copy_seconds = time_copy(values)
    return {
        "rows": rows,
        "import_s": import_seconds,
        "import_rows_s": rows / import_seconds,
        "copy_s": copy_seconds,
        "copy_rows_s": rows / copy_seconds,
        "ratio": copy_seconds / import_seconds,
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
    print(f"COPY:   {result['copy_s']:.1f} s = {result['copy_rows_s']:,.0f} rows/s")
    print(f"import / COPY: {result['ratio']:.1%} (goal: at least 25%)")
