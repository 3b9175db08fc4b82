"""`python manage.py assess_dues [--year Y] [--dry-run]`: post the annual dues assessments."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congregations.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from congregations.services import dues_assess_year


class Command(BaseCommand):
    help = (
        "Post one dues assessment per member congregation for a fiscal year (by tier, prorated "
        "for mid-year joiners). Idempotent: running it again posts nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            help="fiscal year, named by the year it ends in (2026 = FY26); default: this one",
        )
        parser.add_argument("--dry-run", action="store_true", help="show, post nothing")

    def handle(self, *args, year=None, dry_run=False, **options):
        year = year or fiscal_year_of(timezone.localdate())
        if not 2000 <= year <= 2200:
            raise CommandError("--year must be a fiscal year such as 2026")
        first, last = fiscal_year_bounds(year)
        run = dues_assess_year(fiscal_year=year, dry_run=dry_run)
        verb = "would post" if dry_run else "posted"
        self.stdout.write(f"{fiscal_year_label(year)} ({first} to {last}):")
        for entry in run.posted:
            self.stdout.write(
                f"  {verb} {entry.congregation.name}: ${entry.amount_cents / 100:,.2f}"
            )
        for congregation in run.without_tier:
            self.stdout.write(self.style.WARNING(f"  no dues tier: {congregation.name}"))
        self.stdout.write(
            f"{len(run.posted)} {verb}, {run.already} already assessed, "
            f"{len(run.without_tier)} without a tier, "
            f"{len(run.not_yet_members)} joining after the year."
        )
