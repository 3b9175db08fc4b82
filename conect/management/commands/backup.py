import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from conect.backups import backup, default_name


class Command(BaseCommand):
    help = (
        "Write one backup archive: the database (pg_dump -Fc on PostgreSQL, SQLite's online "
        "backup otherwise), the uploaded files and a manifest of row counts and money sums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help="the archive to write; '-' for standard output (make backup in compose); "
            "default: backups/conect-<date>-<time>.tar",
        )

    def handle(self, *args, output=None, **options):
        if output == "-":
            backup(sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        path = Path(output or Path("backups") / default_name())
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            manifest = backup(out)
        rows = sum(manifest["counts"].values())
        self.stderr.write(f"backup: {path} ({rows} rows, {path.stat().st_size} bytes)")
