"""Door check-in benchmark (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_actions_bench \
        .venv/bin/python -m tests.actions.bench_check_in [--people 1500] [--clients 4]

Creates its own data in the database named by DATABASE_URL (migrating it first), then has N
processes — each one a phone: its own Django test client, session and DB connection, through the
full middleware and view stack — tap "Check in" for the same 1,500 people, every person tapped
by two different phones. Reports taps per second, check-ins per second, that each person got
exactly one attendance, and the action page's query count with 1,500 attendees.
"""

import argparse
import multiprocessing
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
os.environ.setdefault("DJANGO_SECURE", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
django.setup()  # a standalone script: the models below need the app registry first

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import Action, Attendance  # noqa: E402
from congregations.models import Congregation, Membership  # noqa: E402
from members.models import Person, User  # noqa: E402


def _phone(args):
    action_id, user_id, person_ids = args
    client = Client(HTTP_HX_REQUEST="true")
    client.force_login(User.objects.get(pk=user_id))
    statuses = []
    started = time.perf_counter()
    for person_id in person_ids:
        response = client.post(f"/actions/{action_id}/check-in/{person_id}/", HTTP_HOST="localhost")
        statuses.append(response.status_code)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=4)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    congregations = Congregation.objects.bulk_create(
        [
            Congregation(
                name=f"Bench {stamp} {i}",
                slug=f"bench-{stamp}-{i}",
                tradition="christian",
                town="Hartford",
            )
            for i in range(12)
        ]
    )
    people = Person.objects.bulk_create(
        [Person(first_name=f"P{i}", last_name=f"Bench{stamp}") for i in range(options.people)]
    )
    Membership.objects.bulk_create(
        [Membership(person=p, congregation=congregations[i % 12]) for i, p in enumerate(people)]
    )
    user = User.objects.create_user(
        f"bench{stamp}@example.org", None, role="organizer", network_wide=True
    )
    now = timezone.now()
    action = Action.objects.create(
        kind="assembly",
        title=f"Bench assembly {stamp}",
        starts_at=now,
        ends_at=now + timezone.timedelta(hours=2),
        place="Hall",
        turnout_goal=options.people,
    )
    action.congregations.set(congregations)
    ids = [p.pk for p in people]
    # Every person is tapped by two phones (a double tap at the door), in different orders.
    shares = [[] for _ in range(options.clients)]
    for n, pk in enumerate(ids):
        shares[n % options.clients].append(pk)
        shares[(n + 1) % options.clients].append(pk)
    connection.close()
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(options.clients) as pool:
        results = pool.map(_phone, [(action.pk, user.pk, share) for share in shares])
    wall = time.perf_counter() - started
    taps = sum(len(s) for _e, s in results)
    errors = sum(1 for _e, s in results for code in s if code != 200)
    attendances = Attendance.objects.filter(action=action)
    checked = attendances.filter(checked_in_at__isnull=False).count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{options.clients} clients, {taps} taps ({len(ids)} people, each tapped twice)")
    print(f"non-200 responses: {errors}")
    busy = max(e for e, _s in results)
    print(f"wall {wall:.1f} s (incl. process start) · slowest client busy {busy:.1f} s")
    print(f"taps/s sustained: {taps / busy:.0f} · unique check-ins/s: {checked / busy:.0f}")
    print(f"attendance rows: {attendances.count()} · checked in: {checked} (expected {len(ids)})")
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/actions/{action.pk}/", HTTP_HOST="localhost")
    n_queries = len(queries.captured_queries)
    print(f"action page, {checked} attendees: HTTP {response.status_code}, {n_queries} queries")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            f"/actions/{action.pk}/check-in/search/?q=P12",
            HTTP_HOST="localhost",
            HTTP_HX_REQUEST="true",
        )
    print(f"door search: HTTP {response.status_code}, {len(queries.captured_queries)} queries")


if __name__ == "__main__":
    main()
