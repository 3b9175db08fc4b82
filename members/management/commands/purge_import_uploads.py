"""`python manage.py purge_import_uploads [--days 7]`: clear the stored CSV text of browser
imports that were previewed but never confirmed (they hold people's contact details). Meant
for a daily cron or beat entry; see docs/privacy.md."""

import datetime

from django.core.management.base import BaseCommand

from members.services import import_uploads_purge


class Command(BaseCommand):
    help = "Forget unconfirmed import uploads older than N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days, **options):
        count = import_uploads_purge(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"{count} unconfirmed upload(s) cleared.")
