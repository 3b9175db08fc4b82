import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from conect.backups import restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup archive's, then check every "
        "table's row count and money sum against the archive. Stop the worker and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive; '-' reads standard input")
        parser.add_argument("--yes", action="store_true", help="do not ask (scripts, make restore)")

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            answer = input("This replaces everything in the database with the backup. Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("nothing restored")
        try:
            if file == "-":
                manifest = restore(sys.stdin.buffer)
            else:
                with open(file, "rb") as source:
                    manifest = restore(source)
        except (OSError, RuntimeError, ValueError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stderr.write(
            f"restored the backup of {manifest['created_at']}: {rows} rows; every table's "
            "count and every money sum match it"
        )
