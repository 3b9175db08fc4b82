"""Time reminder delivery by 1, 2, … Celery workers: what scaling workers out buys
(docs/scaling.md "Workers").

    createdb -h 127.0.0.1 -U postgres -T conect_bench_30000 conect_bench_workers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_workers \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python scripts/bench_workers.py 20000 1 2 4

Claims N reminders on a scratch database as scripts/bench_reminders.py does, then for each
number of workers: puts every claimed row back to pending, starts that many Celery workers of
one process each (as that many machines would run them, all on the same broker and database),
queues the deliveries the way beat's sweep does (chunks of 200 ids) and times until no row is
pending or being sent. Email goes to Django's dummy backend: the figure is our side of the work
(leases, rendering the message, marking it sent), not an SMTP server's. Refuses a database
whose name lacks "bench" and an embedded (filesystem) broker.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
os.environ["BENCH_CLAIM_ONLY"] = "1"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"

import bench_reminders  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from conect.celery import app  # noqa: E402
from notifications.models import Notification, Status  # noqa: E402
from notifications.tasks import dispatch_deliveries  # noqa: E402

UNFINISHED = [Status.PENDING, Status.SENDING]


def start_workers(count: int) -> list[subprocess.Popen]:
    # The worker runs as in production, where a site address is required (links in emails).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conect.settings",
        "CONECT_SITE_URL": os.environ.get("CONECT_SITE_URL") or "https://bench.conect.example",
    }
    workers = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "conect", "worker"),
                *("--concurrency", "1", "--hostname", f"bench{n}@%h", "--loglevel", "WARNING"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(count)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0)) >= count:
            return workers
    stop(workers)
    raise RuntimeError(f"{count} workers did not answer within 60 s")


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def reset() -> int:
    """Every claimed row back to pending, as the claim left it."""
    return Notification.objects.update(
        status=Status.PENDING,
        attempts=0,
        lease_until=None,
        lease_token="",
        next_attempt_at=None,
        sent_at=None,
        last_error="",
    )


def deliver_with(count: int) -> tuple[int, float]:
    rows = reset()
    app.control.purge()
    workers = start_workers(count)
    try:
        started = time.perf_counter()
        dispatch_deliveries()
        while Notification.objects.filter(status__in=UNFINISHED).exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        stop(workers)
    return rows, elapsed


def main(count: int, worker_counts: list[int]) -> None:
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("refusing: point DATABASE_URL at a scratch database whose name contains 'bench'")
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        sys.exit("refusing: set CELERY_BROKER_URL to a real broker (redis://127.0.0.1:6379/11)")
    bench_reminders.main(count)
    connection.close()
    print("| workers | messages | seconds | messages/s | × one worker |")
    print("|---:|---:|---:|---:|---:|")
    first = None
    for workers in worker_counts:
        rows, elapsed = deliver_with(workers)
        rate = rows / elapsed
        first = first or rate
        print(f"| {workers} | {rows:,} | {elapsed:.1f} | {rate:,.0f} | {rate / first:.2f} |")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 20_000, [int(a) for a in sys.argv[2:]] or [1, 2]
    )
