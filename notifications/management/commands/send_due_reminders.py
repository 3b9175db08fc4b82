"""`python manage.py send_due_reminders [--now ISO-DATETIME]`: one synchronous sweep.

The same code the beat task runs — claim what is due, then deliver — for cron users, operators
and tests. --now pretends the clock says so (a naive time is read as America/New_York).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders import reminders_sweep
from notifications.services import notifications_deliver


class Command(BaseCommand):
    help = "Claim and send every reminder due now (or at --now)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time to sweep at, e.g. 2026-03-09T07:05")

    def handle(self, *args, now=None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: not an ISO date-time: {now!r}") from error
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        claimed = reminders_sweep(moment)
        delivered = notifications_deliver(now=max(moment, timezone.now()))
        for name, count in claimed.items():
            self.stdout.write(f"{name}: {count} new")
        self.stdout.write(
            f"delivered: {delivered['sent']} sent, {delivered['retry']} to retry, "
            f"{delivered['failed']} failed"
        )
