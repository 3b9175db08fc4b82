"""`python manage.py import_people FILE [--congregation SLUG] [--dry-run] [--skip-invalid]`

The same code path as the browser import (members.services.people_import). All or nothing by
default: any invalid row and nothing is written; every bad row is printed with its line number
and the exit code is 1. With --skip-invalid the valid rows are imported, the bad ones printed,
and the exit code is 0. Matching covers the whole network (the command is the operators').
Re-running the same file changes nothing.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congregations.models import Congregation
from members.importing import MAX_ERRORS, ImportFileError, utf8_of
from members.services import people_import


class Command(BaseCommand):
    help = "Import people from a CSV file (header: first_name,last_name,email,phone,...)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file")
        parser.add_argument("--congregation", help="slug of the congregation for rows naming none")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows and only report the invalid ones",
        )

    def handle(self, *args, file, congregation, dry_run, skip_invalid=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        default = None
        if congregation:
            default = Congregation.objects.filter(slug__iexact=congregation).first()
            if default is None:
                raise CommandError(f"--congregation {congregation}: no congregation has that slug")
        started = time.perf_counter()
        try:
            text = utf8_of(path.read_bytes())  # UTF-8 bytes: plan_import streams them
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}") from None
        plan = people_import(
            text=text,
            by=None,
            congregations=Congregation.objects.all(),
            default_congregation=default,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            filename=path.name,
        )
        elapsed = time.perf_counter() - started
        counts = plan.counts
        if plan.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(plan.ignored_columns)}")
        for row_error in plan.errors:
            self.stderr.write(f"line {row_error.line}: {row_error.message}")
        if len(plan.errors) >= MAX_ERRORS:
            self.stderr.write(f"(only the first {MAX_ERRORS} errors are listed)")
        summary = (
            f"{counts['rows']} rows: {counts['new']} new, {counts['matched']} matched, "
            f"{counts['unchanged']} unchanged, {counts['invalid']} invalid, "
            f"{counts['flagged']} new flagged as possible duplicates "
            f"({elapsed:.1f} s, {counts['rows'] / elapsed if elapsed else 0:,.0f} rows/s)"
        )
        if plan.file_error or (not plan.is_valid and not skip_invalid):
            raise CommandError(f"{summary}. Nothing was imported: fix the rows above.")
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. {summary}")
        elif not plan.has_changes:
            self.stdout.write(self.style.SUCCESS(f"Nothing to change. {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
