"""`python manage.py seed_demo [--people N] [--seed S] [--reset] [--force]`: the demo network.

It refuses to run where DJANGO_DEBUG=0 is set (production says so: .env.example, compose) unless
--force is given: its logins share a published password and --reset empties the database, ledger
included.

Deterministic by seed, bulk inserts, and idempotent: a second run does nothing unless --reset.
Each app contributes a step (a function in its demo.py); STEPS runs them in order, each taking
the shared random generator and the `demo` dict the earlier steps filled, and returning a line
for the summary.
"""

import os
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accountability.demo import seed_leader_commitments, wipe_leader_commitments
from actions.demo import seed_actions, seed_civic, settle_ladder, wipe_actions
from api import signals as api_signals
from campaigns.demo import seed_campaigns, wipe_campaigns
from congregations.demo import seed_congregations, seed_dues, wipe_dues
from congregations.models import Congregation
from members.demo import DEMO_PASSWORD, seed_logins, seed_people, seed_values, wipe_people
from members.duplicates import duplicates_refresh
from members.models import Person
from relationships.demo import seed_relationships, wipe_relationships
from relationships.tallies import every_tally_counted


def seed_tallies(demo: dict) -> str:
    """What beat keeps (issue 16), counted once for the new network: the homes' and lists'
    tallies (bulk inserts keep none) and the duplicate queue's first scan."""
    every_tally_counted()
    pairs = duplicates_refresh()
    return f"tallies counted; {pairs:,} possible duplicate pairs queued"


STEPS = [
    seed_congregations,
    seed_people,
    seed_logins,
    seed_dues,
    seed_campaigns,
    seed_actions,  # right after seed_campaigns: it continues the same random sequence
    seed_relationships,
    seed_leader_commitments,  # after relationships: measured from its meetings
    seed_values,  # issue 14: each with its own random sequence, so the steps above keep theirs
    seed_civic,
    settle_ladder,  # the ladder agrees with the practice every step above recorded
    seed_tallies,  # last: counts what every step above wrote (bulk inserts keep no tally)
]
# Undo in reverse order of dependence; each app's wipe deletes what its step created.
WIPES = [
    wipe_leader_commitments,
    wipe_relationships,
    wipe_actions,
    wipe_campaigns,
    wipe_dues,
    wipe_people,
]


class Command(BaseCommand):
    help = "Fill the database with a demo network: 37 congregations and 30,000 people."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=30_000, help="how many people")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="the demo logins' password")
        parser.add_argument(
            "--reset", action="store_true", help="delete existing data and seed again"
        )
        parser.add_argument(
            "--force", action="store_true", help="run even though DJANGO_DEBUG=0 is set"
        )

    def handle(self, *args, people, seed, password, reset, force, **options):
        production = os.environ.get("DJANGO_DEBUG", "").strip() != "" and not settings.DEBUG
        if production and not force:
            raise CommandError(
                "seed_demo does not run with DJANGO_DEBUG=0: it creates logins with a published "
                "password (admin@ included) and --reset deletes every person and the dues "
                "ledger. This looks like a production setting. If this really is a demo "
                "database, run it again with --force."
            )
        if people < 0:
            raise CommandError("--people must be zero or more")
        if Congregation.objects.exists() and not reset:
            self.stdout.write(
                "Demo data is already there "
                f"({Congregation.objects.count()} congregations, {Person.objects.count()} people): "
                "nothing to do. Use --reset to start over."
            )
            return
        started = time.perf_counter()
        demo = {
            "rng": random.Random(seed),
            "seed": seed,
            "people": people,
            "password": password,
            "logins": [],
        }
        with transaction.atomic():
            if reset:
                with api_signals.quiet():
                    for wipe in WIPES:
                        wipe()
            for step in STEPS:
                line = step(demo)
                if line:
                    self.stdout.write(f"  {line}")
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: until autovacuum gets round to the new rows it
            # plans for empty tables (seen: a scope count over 30k people planned for 9 rows took
            # 106 ms; 16 ms after ANALYZE).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo network seeded in {elapsed:.1f} s (seed {seed}).")
        )
        self.stdout.write(f"Demo logins (password: {password}):")
        for role, email, scope in demo["logins"]:
            self.stdout.write(f"  {role:<10} {email:<28} sees {scope}")
