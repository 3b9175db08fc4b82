"""Measurements for the people directory, by hand, never in the test suite (run it with
DJANGO_DEBUG=1 DJANGO_SECURE=0 so pages render without collected static files or HTTPS).

    manage.py bench_people --write-csv 100000 /tmp/people.csv   # a realistic import file
    manage.py bench_people --directory                          # /people/ queries and time

--directory signs in as a network-wide organizer (created if missing) and requests /people/
with a few searches and filters, printing the number of SQL queries and the time of each.
"""

import random
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conect.access import Role
from congregations.models import Congregation
from members.demo import AREA_CODES, FIRST, LAST, TAGS, _ascii
from members.models import Person, User

BENCH_EMAIL = "bench-organizer@conect.example"
ALL_LAST = sorted({name for names in LAST.values() for name in names})


class Command(BaseCommand):
    help = "Write a benchmark CSV, or measure /people/ query counts and times."

    def add_arguments(self, parser):
        parser.add_argument("--write-csv", nargs=2, metavar=("ROWS", "FILE"))
        parser.add_argument("--directory", action="store_true")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, write_csv=None, directory=False, seed=7, **options):
        if write_csv:
            self.write_csv(int(write_csv[0]), write_csv[1], random.Random(seed))
        if directory:
            self.directory()

    def write_csv(self, rows: int, path: str, rng: random.Random) -> None:
        congregations = list(Congregation.objects.values_list("name", "slug", "town", "zip"))
        pools = list(FIRST)
        header = "First Name,Last Name,Email Address,Mobile Phone,Congregation,Street,City,"
        header += "ZIP Code,Language,Tags\r\n"
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(header)
            for i in range(rows):
                pool = rng.choice(pools)
                first = rng.choice(FIRST[pool])
                last = rng.choice(LAST.get(pool, LAST["general"]))
                if rng.random() < 0.6:  # double-barrelled names keep 100k people distinct
                    last = f"{last}-{rng.choice(ALL_LAST)}"
                name, slug, town, zip_code = rng.choice(congregations)
                if rng.random() < 0.5:
                    zip_code = f"06{rng.randint(1, 999):03d}"
                email = f"{_ascii(first)}.{_ascii(last)}.{i}@example.org".replace(" ", "")
                phone = f"({rng.choice(AREA_CODES)}) {200 + i // 10000:03d}-{i % 10000:04d}"
                out.write(
                    f'"{first}","{last}",{email if rng.random() < 0.8 else ""},{phone},'
                    f'"{rng.choice([name, slug])}",{rng.randint(1, 400)} Main St,{town},'
                    f"{zip_code},{rng.choice(['en', 'es', 'English', ''])},"
                    f'"{rng.choice(TAGS) if rng.random() < 0.2 else ""}"\r\n'
                )
        self.stdout.write(f"wrote {rows:,} rows to {path}")

    def directory(self) -> None:
        user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
            BENCH_EMAIL, role=Role.ORGANIZER, network_wide=True
        )
        client = Client()
        client.force_login(user)
        total = Person.objects.filter(archived_at__isnull=True).count()
        self.stdout.write(f"{total:,} active people, {connection.vendor}")
        congregation = Congregation.objects.order_by("pk").first()
        assert congregation is not None, "seed some congregations first"
        cases: list[tuple[str, dict]] = [
            ("/people/", {}),
            ("/people/ page 20", {"page": 20}),
            ("search 'mar'", {"q": "mar"}),
            ("search 'garcia mar'", {"q": "garcia mar"}),
            ("search phone '555-01'", {"q": "555-01"}),
            ("filter level+congregation", {"level": "leader", "congregation": congregation.pk}),
            ("sort ladder", {"sort": "-level"}),
            ("not met in 90 days", {"not_met": "90"}),
        ]
        for label, params in cases:
            client.get("/people/", params)  # warm
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/people/", params)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            self.stdout.write(f"  {label:<28} {len(queries):>2} queries  {elapsed * 1000:7.1f} ms")
