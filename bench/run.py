"""Time every key page against the floor, over real HTTP, in one round-robin run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_30k \\
        .venv/bin/python -m bench run --rounds 20 --label 30k

Starts gunicorn (2 sync workers, production settings: DJANGO_DEBUG=0, HTTPS behind a proxy,
manifest static files, plus conect.settings_bench's floor view and query-count header) on
127.0.0.1, signs the organizer, the lead and the leader in by session cookie, asks for every page
of bench.pages once per round in the same order (warm-up rounds first, not counted), and reports
each page's p50 and p95 in ms, as ratios to the floor's, with its SQL query count. Prints a
Markdown table; writes the JSON to bench/results/<label>-<date>.json (git-ignored, except the
checked-in samples). Stops its gunicorn when done.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string

from actions.models import Attendance
from members.models import Person, User
from relationships.models import FollowUp, OneOnOne

from .pages import FLOOR, PERSONAS, ApiTokens, Page, api_headers, key_pages

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def session_cookie(user: User) -> str:
    """A signed-in session, as django.contrib.auth.login would store it, of a user enrolled in
    two-factor sign-in (production requires it of admins and network-wide organizers; the code
    itself was asked at sign-in, so the pages only check the enrolment)."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench-only"}}
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# Production caches in Redis (docker-compose.yml); the bench uses a database number of its own,
# emptied before a run (and before every page with --cold).
BENCH_REDIS = "redis://127.0.0.1:6379/12"


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or BENCH_REDIS


def empty_cache() -> None:
    import redis

    redis.Redis.from_url(redis_url()).flushdb()


def browser_cookies(user: User) -> str:
    """What a signed-in browser sends: its session and the CSRF secret its first page gave it
    (cached fragments are kept per reader and CSRF secret: conect.fragments)."""
    secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return f"{session_cookie(user)}; {settings.CSRF_COOKIE_NAME}={secret}"


def server_environment() -> dict[str, str]:
    """Production settings (DEBUG off, HTTPS-only cookies behind a TLS proxy, the Redis cache),
    bench URLs."""
    return {
        **os.environ,
        "REDIS_URL": redis_url(),
        "DJANGO_SETTINGS_MODULE": "conect.settings_bench",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE": "1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Production servers refuse to start without a site address (links in emails).
        "CONECT_SITE_URL": os.environ.get("CONECT_SITE_URL") or "https://bench.conect.example",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or str(settings.SECRET_KEY),
        "LOG_LEVEL": "WARNING",
    }


def collect_static() -> None:
    """The manifest static files production settings serve (once for any number of servers)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_environment(),
        check=True,
    )


def answers(port: int, seconds: float) -> bool:
    """Whether /healthz/ on `port` answers 200 within `seconds` (a server starting up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz/", {})[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def start_server(port: int, workers: int, *, collect: bool = True) -> subprocess.Popen:
    if collect:
        collect_static()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "conect.wsgi:application"),
            *("--workers", str(workers), "--bind", f"127.0.0.1:{port}"),
            *("--timeout", "300", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=server_environment(),
    )
    if answers(port, 60):
        return server
    server.send_signal(signal.SIGTERM)
    raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")


_connections: dict[int, http.client.HTTPConnection] = {}


def fetch(port: int, path: str, sign_in: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One GET over a kept-alive connection, as a browser behind the TLS proxy sends it;
    `sign_in`: the session cookie, or an API client's token and media type."""
    conn = _connections.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    _connections[port] = conn
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "en", "Accept": "text/html"}
    headers.update(sign_in)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
    except (http.client.HTTPException, OSError):
        conn.close()
        del _connections[port]
        raise
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def request_headers(page: Page, cookies: dict[str, str], tokens: ApiTokens) -> dict[str, str]:
    """How `page` signs in: the persona's API token for an API page, else its session."""
    if page.by_token:
        return api_headers(tokens.for_persona(page.persona))
    return {"Cookie": cookies[page.persona]}


def measure(
    port: int, pages: list[Page], sign_in: dict, rounds: int, warmup: int, cold: bool = False
) -> dict:
    """Every page once per round. `cold`: the cache is emptied before each page (not timed), so
    each is built from the database as after a write to what it shows."""
    samples: dict[str, list[float]] = {page.name: [] for page in pages}
    facts: dict[str, dict] = {}
    for number in range(warmup + rounds):
        for page in pages:
            if cold:
                empty_cache()
            started = time.perf_counter()
            status, headers, body = fetch(port, page.path, sign_in[page.name])
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                raise RuntimeError(f"{page.path} as {page.persona}: HTTP {status} {body[:200]!r}")
            if number >= warmup:
                samples[page.name].append(elapsed)
                facts.setdefault(page.name, {"db_ms": []})
                facts[page.name]["queries"] = int(headers.get("x-query-count", "-1"))
                facts[page.name]["db_ms"].append(float(headers.get("x-query-ms", "0")))
                facts[page.name]["bytes"] = len(body)
        print(f"  round {number + 1}/{warmup + rounds}", file=sys.stderr, flush=True)
    floor = samples[FLOOR]
    floor_p50, floor_p95 = statistics.median(floor), percentile(floor, 0.95)
    results = []
    for page in pages:
        times = samples[page.name]
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        results.append(
            {
                "name": page.name,
                "persona": f"{page.persona} (API token)" if page.by_token else page.persona,
                "path": page.path,
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "min_ms": round(min(times), 1),
                "max_ms": round(max(times), 1),
                "ratio_p50": round(p50 / floor_p50, 1),
                "ratio_p95": round(p95 / floor_p95, 1),
                "queries": facts[page.name]["queries"],
                "db_ms_p50": round(statistics.median(facts[page.name]["db_ms"]), 1),
                "bytes": facts[page.name]["bytes"],
            }
        )
    return {
        "floor_p50_ms": round(floor_p50, 1),
        "floor_p95_ms": round(floor_p95, 1),
        "pages": results,
    }


def scale_facts() -> dict:
    """What the database holds (planner estimates for the big tables: a count(*) over two
    million rows would itself take seconds)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [
                [
                    Person._meta.db_table,
                    OneOnOne._meta.db_table,
                    FollowUp._meta.db_table,
                    Attendance._meta.db_table,
                ]
            ],
        )
        return dict(cursor.fetchall())


def table(report: dict) -> str:
    lines = [
        f"floor p50 {report['floor_p50_ms']} ms, p95 {report['floor_p95_ms']} ms; "
        f"{report['rounds']} rounds, {report['workers']} gunicorn workers; "
        f"cache: {report.get('cache', 'warm')}",
        "",
        "| page | as | p50 ms | p95 ms | p50 ratio | p95 ratio | queries |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in report["pages"]:
        lines.append(
            f"| {row['name']} | {row['persona']} | {row['p50_ms']:,} | {row['p95_ms']:,} | "
            f"{row['ratio_p50']}× | {row['ratio_p95']}× | {row['queries']} |"
        )
    for row in report["skipped"]:
        lines.append(f"| {row['name']} | — | skipped: {row['reason']} | | | | |")
    return "\n".join(lines)


def git_commit() -> str:
    git = shutil.which("git") or "git"
    done = subprocess.run(
        [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench run", description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8716)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the cache before every page: each is built afresh, as after a write",
    )
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/…)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="time only the pages whose name contains this (repeatable; the floor always, and "
        "the extra pages of bench.plans such as the deep directory page may be named)",
    )
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("the bench measures PostgreSQL: set DATABASE_URL")
    pages, skipped = key_pages()
    if args.only:
        from .plans import extra_pages

        pages = [pages[0]] + [
            page
            for page in [*pages[1:], *extra_pages()]
            if any(part in page.name for part in args.only)
        ]
    cookies = {
        persona: browser_cookies(User.objects.get(email=email))
        for persona, email in PERSONAS.items()
    }
    empty_cache()
    tokens = ApiTokens()
    sign_in = {page.name: request_headers(page, cookies, tokens) for page in pages}
    try:
        facts = scale_facts()
        connection.close()  # the runner holds no connection while the server works
        server = start_server(args.port, args.workers)
        load_before = os.getloadavg()
        try:
            started = datetime.datetime.now(datetime.UTC)
            measured = measure(args.port, pages, sign_in, args.rounds, args.warmup, args.cold)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    finally:
        tokens.revoke_all()  # the run's tokens stop working with it
    report = {
        "label": args.label,
        "started_at": started.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": str(settings.DATABASES["default"]["NAME"]),
        "rows": facts,
        "rounds": args.rounds,
        "warmup_rounds": args.warmup,
        "workers": args.workers,
        "cache": "cold: emptied before every page" if args.cold else "warm",
        "cpus": os.cpu_count(),
        # 1-minute load average before and after: other work on the machine inflates every
        # time, the floor's too; the ratios are what compares across runs.
        "load_average": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        **measured,
        "skipped": skipped,
    }
    out = args.out or RESULTS / f"{args.label or 'bench'}-{started:%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(report))
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
