"""Run bench/locustfile.py headless against gunicorn on 127.0.0.1, bounded in time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_30k \\
        .venv/bin/python -m bench load --users 50 --run-time 3m --label 30k

Writes the plan the locustfile reads (sessions for the organizers, leaders, the lead and the two
door phones; people each may see; tonight's action and 200 of its RSVPs), serves the app as
`bench run` does (2 workers, production settings), runs locust, and reports p50/p95 and errors
per request and overall (printed, and bench/results/load-<label>-<date>.json).

`--instances N` (N > 1) serves the app as several machines would (docs/scaling.md): N gunicorn
instances of `--workers` each, on the next N ports, behind Caddy on `--port` as the load
balancer (round robin, the TLS front's X-Forwarded-Proto), all sharing the database and Redis.
Needs Debian's `caddy` package.
"""

import argparse
import csv
import datetime
import json
import os
import random
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from actions.models import Attendance
from conect.access import Role
from congregations.models import Membership
from members.models import Person, User
from relationships.models import IssueHeard, OneOnOne

from .pages import PERSONAS
from .run import (
    RESULTS,
    ROOT,
    answers,
    collect_static,
    git_commit,
    session_cookie,
    start_server,
)
from .seed import DOOR_ACTION_TITLE

SEARCHES = ["smith", "garcia", "johnson", "rivera", "cohen", "khan", "singh", "jean", "kim", "ma"]


def _people_of(congregation_ids, count: int, seed: int) -> list[int]:
    """`count` people of these congregations (primary members), deterministic."""
    ids = list(
        Membership.objects.filter(congregation_id__in=congregation_ids, is_primary=True)
        .order_by("person_id")
        .values_list("person_id", flat=True)[:5000]
    )
    return sorted(random.Random(seed).sample(ids, min(count, len(ids)))) if ids else []


def build_plan() -> dict:
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    organizers = User.objects.filter(role=Role.ORGANIZER).order_by("email")[:9]
    leaders = User.objects.filter(role=Role.LEADER, email__startswith="leader").order_by("id")[:40]
    lead = User.objects.get(email=PERSONAS["lead"])
    everyone = list(
        Person.objects.filter(user__isnull=True).order_by("id").values_list("id", flat=True)[:5000]
    )
    logins: dict[str, list] = {"organizer": [], "leader": [], "lead": [], "door": []}
    for n, user in enumerate(organizers):
        congs = list(user.congregations.values_list("pk", flat=True))
        people = _people_of(congs, 100, n) if congs and not user.network_wide else everyone[:100]
        logins["organizer"].append({"session": _session(user), "people": people})
    for user in leaders:  # a leader may log a meeting with someone they have met before
        met = OneOnOne.objects.filter(author=user).order_by("person_id").values_list("person_id")
        people = sorted({pk for (pk,) in met[:50]})
        if people:
            logins["leader"].append({"session": _session(user), "people": people})
    lead_congs = list(lead.congregations.all())
    logins["lead"].append(
        {"session": _session(lead), "people": [], "congregation": lead_congs[0].slug}
    )
    door = Attendance.objects.filter(action__title=DOOR_ACTION_TITLE).order_by("-action__starts_at")
    action_id = door.values_list("action_id", flat=True).first()
    assert action_id is not None, "no door action: seed with python -m bench seed"
    theirs = list(
        door.filter(action_id=action_id, congregation__in=lead_congs, checked_in_at__isnull=True)
        .order_by("person_id")
        .values_list("person_id", "person__last_name")[:100]
    )
    others = list(
        door.filter(action_id=action_id, checked_in_at__isnull=True)
        .exclude(congregation__in=lead_congs)
        .order_by("person_id")
        .values_list("person_id", "person__last_name")[:100]
    )
    organizer = User.objects.get(email=PERSONAS["organizer"])
    logins["door"] = [
        {"session": _session(lead), "slot": 0},
        {"session": _session(organizer), "slot": 1},
    ]
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_token": csrf,
        "logins": logins,
        "issues": list(IssueHeard.objects.values_list("pk", flat=True)[:8]),
        "searches": SEARCHES,
        # lead's phone: slot 0 (their congregation), organizer's: slot 1 (the others)
        "door": {
            "action": action_id,
            "people": [p for pair in zip(theirs, others, strict=False) for p in pair],
        },
    }


def _session(user: User) -> str:
    return session_cookie(user).split("=", 1)[1]


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    return [
        {
            "name": f"{row['Type']} {row['Name']}".strip(),
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "max_ms": float(row["Max Response Time"] or 0),
            "rps": round(float(row["Requests/s"] or 0), 2),
        }
        for row in rows
    ]


# The load balancer in front of --instances: what the compose stack's Caddy does for one web
# container (Caddyfile), spread round robin over several, on plain HTTP on the loopback.
BALANCER = """{{
	admin off
	auto_https off
}}
http://127.0.0.1:{port} {{
	bind 127.0.0.1
	reverse_proxy {upstreams} {{
		lb_policy round_robin
		header_up X-Forwarded-Proto https
	}}
}}
"""


def start_balancer(port: int, upstreams: list[int], workdir: Path) -> subprocess.Popen:
    caddy = shutil.which("caddy")
    if caddy is None:
        raise SystemExit("--instances needs Caddy as the load balancer: apt-get install caddy")
    config = workdir / "Caddyfile"
    config.write_text(
        BALANCER.format(port=port, upstreams=" ".join(f"127.0.0.1:{p}" for p in upstreams))
    )
    log = workdir / "caddy.log"
    with open(log, "wb") as output:
        balancer = subprocess.Popen(
            [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if answers(port, 30):
        return balancer
    balancer.terminate()
    raise RuntimeError(f"Caddy did not answer /healthz/ within 30 s (its log: {log})")


def serve(args, workdir: Path) -> list[subprocess.Popen]:
    """gunicorn on --port, or N of them behind Caddy on --port; the balancer first in the list."""
    if args.instances <= 1:
        return [start_server(args.port, args.workers)]
    ports = [args.port + n for n in range(1, args.instances + 1)]
    collect_static()  # the instances share the collected files
    servers: list[subprocess.Popen] = []
    try:
        for port in ports:
            servers.append(start_server(port, args.workers, collect=False))
        return [start_balancer(args.port, ports, workdir), *servers]
    except BaseException:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        raise


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="3m")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", type=int, default=1, help="gunicorns behind Caddy")
    parser.add_argument("--port", type=int, default=8717)
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    plan = build_plan()
    connection.close()
    workdir = Path(tempfile.mkdtemp(prefix="conect-load-"))
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(plan))
    prefix = workdir / "locust"
    processes = serve(args, workdir)
    started = datetime.datetime.now(datetime.UTC)
    try:
        subprocess.run(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")),
                *("--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate)),
                *("--run-time", args.run_time, "--stop-timeout", "15"),
                *("--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix)),
                *("--only-summary", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)},
            check=False,
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    stats = read_stats(prefix)
    total = next(row for row in stats if row["name"] == "Aggregated")
    report = {
        "label": args.label,
        "started_at": started.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": str(settings.DATABASES["default"]["NAME"]),
        "users": args.users,
        "run_time": args.run_time,
        "workers": args.workers,
        "instances": args.instances,
        "total": total,
        "requests": [row for row in stats if row["name"] != "Aggregated"],
    }
    out = RESULTS / f"load-{args.label or 'bench'}-{started:%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print("| request | count | failures | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in [*report["requests"], total]:
        print(
            f"| {row['name']} | {row['requests']} | {row['failures']} | {row['p50_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['max_ms']:.0f} |"
        )
    print(f"\nwrote {out.relative_to(ROOT)}")
