"""`python manage.py find_duplicates [--csv FILE]`: scan the whole database (archived people
included) with the rules of members.duplicates and store the candidate pairs for the queue."""

import csv
import time

from django.core.management.base import BaseCommand
from django.db.models import F

from members.duplicates import REASON_BITS, duplicates_refresh, reasons_of
from members.models import DuplicatePair


class Command(BaseCommand):
    help = "Find people who are probably the same person, over the whole database."

    def add_arguments(self, parser):
        parser.add_argument("--csv", help="write the pairs to this CSV file")

    def handle(self, *args, csv: str | None = None, **options):
        started = time.perf_counter()
        count = duplicates_refresh()
        elapsed = time.perf_counter() - started
        if csv:
            self._write(csv)
        by_reason = {
            reason: DuplicatePair.objects.annotate(hit=F("reasons").bitand(bit))
            .exclude(hit=0)
            .count()
            for reason, bit in REASON_BITS.items()
        }
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(by_reason.items()) if v) or "none"
        self.stdout.write(f"Scanned in {elapsed:.2f} s: {count:,} candidate pairs ({reasons}).")

    @staticmethod
    def _write(path: str) -> None:
        pairs = DuplicatePair.objects.order_by("first_id", "second_id")
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["first_id", "second_id", "reasons"])
            for pair in pairs.values_list("first_id", "second_id", "reasons").iterator():
                writer.writerow([pair[0], pair[1], ";".join(sorted(reasons_of(pair[2])))])
