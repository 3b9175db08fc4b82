"""`python manage.py find_duplicates [--csv FILE]`: candidate duplicate people over the whole
database (archived people included), with the rules of members.duplicates."""

import csv
import time

from django.core.management.base import BaseCommand

from members.duplicates import find_pairs_among
from members.models import Person


class Command(BaseCommand):
    help = "Find people who are probably the same person, over the whole database."

    def add_arguments(self, parser):
        parser.add_argument("--csv", help="write the pairs to this CSV file")

    def handle(self, *args, csv: str | None = None, **options):
        started = time.perf_counter()
        people = Person.objects.all()
        pairs = find_pairs_among(people)
        elapsed = time.perf_counter() - started
        if csv:
            self._write(csv, pairs)
        by_reason: dict[str, int] = {}
        for pair in pairs:
            for reason in pair.reasons:
                by_reason[reason] = by_reason.get(reason, 0) + 1
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(by_reason.items())) or "none"
        self.stdout.write(
            f"{people.count():,} people scanned in {elapsed:.2f} s: "
            f"{len(pairs):,} candidate pairs ({reasons})."
        )

    @staticmethod
    def _write(path: str, pairs) -> None:
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["first_id", "second_id", "reasons"])
            for pair in pairs:
                writer.writerow([pair.first_id, pair.second_id, ";".join(sorted(pair.reasons))])
