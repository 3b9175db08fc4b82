"""Queries and time of one page for one login, in-process, on the configured database.

    DATABASE_URL=postgres://… DJANGO_DEBUG=0 \
        python scripts/measure_home.py organizer@conect.example /

Prints the query count of a warm request and the median, p95 and min of N timed requests (the
session and user lookups included, as a browser's request would pay them).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
os.environ.setdefault("DJANGO_SECURE", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402


def main(email: str, path: str, runs: int = 30) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=email))
    assert client.get(path).status_code == 200  # warm caches and connections
    # A request resets the query log when it starts, so read it after the request ends.
    connection.force_debug_cursor = True
    reset_queries()
    client.get(path)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"{path} as {email}: {len(queries)} queries; "
        f"median {statistics.median(times):.0f} ms, "
        f"p95 {times[int(0.95 * len(times)) - 1]:.0f} ms, "
        f"min {times[0]:.0f} ms over {runs} requests"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "/")
