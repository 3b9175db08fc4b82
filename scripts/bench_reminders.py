"""Time the reminders sweep for N due follow-ups (default 100,000) on a scratch database.

    createdb -h 127.0.0.1 -U postgres conect_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench \
        .venv/bin/python scripts/bench_reminders.py [N]

Refuses to run unless the database name contains "bench": it migrates and fills it.
Email goes to Django's in-memory backend, so the delivery figure is our side of the work only.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from conect.access import Role  # noqa: E402
from members.models import Person, User  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.reminders import reminders_sweep  # noqa: E402
from notifications.services import notifications_deliver  # noqa: E402
from relationships.models import FollowUp  # noqa: E402


def main(count: int) -> None:
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("refusing: point DATABASE_URL at a scratch database whose name contains 'bench'")
    call_command("migrate", verbosity=0)
    # Emptied, not deleted: dead rows of an earlier run would weigh on the claim's anti-join.
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {Notification._meta.db_table}, {FollowUp._meta.db_table}"  # noqa: S608 (table names)
        )
    owners = list(User.objects.filter(email__startswith="bench-owner"))
    if not owners:
        owners = [
            User(email=f"bench-owner{i}@conect.example", role=Role.LEADER) for i in range(500)
        ]
        User.objects.bulk_create(owners)
        Person.objects.bulk_create(
            [Person(first_name="Owner", last_name=str(i), user=u) for i, u in enumerate(owners)]
        )
    people = list(Person.objects.filter(user__isnull=True)[:2000])
    if len(people) < 2000:
        people += Person.objects.bulk_create(
            [Person(first_name="Met", last_name=str(i)) for i in range(2000 - len(people))]
        )
    due = datetime.date(2026, 11, 27)
    FollowUp.objects.bulk_create(
        [
            FollowUp(owner=owners[i % len(owners)], person=people[i % len(people)], due_on=due)
            for i in range(count)
        ],
        batch_size=5000,
    )
    now = datetime.datetime(2026, 11, 27, 13, 0, tzinfo=datetime.UTC)  # 8:00 in Hartford
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        claimed = profile.runcall(reminders_sweep, now)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    else:
        claimed = reminders_sweep(now)
    claim_s = time.perf_counter() - started
    started = time.perf_counter()
    again = reminders_sweep(now)
    again_s = time.perf_counter() - started
    print(f"{connection.vendor}: {count:,} due follow-ups")
    print(
        f"  sweep (claim): {claim_s:.1f} s, {claimed['followups_due']:,} rows, "
        f"{claimed['followups_due'] / claim_s:,.0f} rows/s"
    )
    print(f"  second sweep (nothing new): {again_s:.1f} s, {sum(again.values())} rows")
    if os.environ.get("BENCH_CLAIM_ONLY"):
        return
    started = time.perf_counter()
    delivered = notifications_deliver(now=now)
    deliver_s = time.perf_counter() - started
    print(
        f"  delivery: {deliver_s:.1f} s, {delivered['sent']:,} sent, "
        f"{delivered['sent'] / deliver_s:,.0f} messages/s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
