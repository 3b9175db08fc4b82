"""EXPLAIN (ANALYZE, BUFFERS) of every query every key page runs, into bench/plans/.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_1m \\
        .venv/bin/python -m bench plans

Renders each page of bench.pages in-process (as its persona, production settings), captures its
SQL, and explains each SELECT on the same database: one file per page with every query, its
plan and its time, and bench/plans/SUMMARY.md listing per page the slowest query and any
sequential scan over a big table (people, memberships, one-on-ones, follow-ups, attendance).
Run it at 1,000,000 people after `python -m bench seed --people 1000000`.
"""

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from actions.models import Action
from conect.config import conect_setting
from members.models import Person, User
from notifications import reminders

from .pages import PERSONAS, ApiTokens, Page, api_headers, key_pages
from .run import session_cookie
from .seed import DOOR_ACTION_TITLE

PLANS = Path(__file__).resolve().parent / "plans"
BIG_TABLES = (
    Person._meta.db_table,
    "congregations_membership",
    "relationships_oneonone",
    "relationships_followup",
    "actions_attendance",
)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def extra_pages() -> list[Page]:
    """Key queries that are not on a bench page: a deep directory page, searches, the door's
    name search and the one-on-one form's person picker."""
    door = Action.objects.filter(title=DOOR_ACTION_TITLE).order_by("-starts_at").first()
    people = reverse("members:person_list")
    extra = [
        Page("/people/ page 1000", "organizer", f"{people}?page=1000"),
        Page("/people/?q=garcia ma", "organizer", f"{people}?q=garcia+ma"),
        Page("/people/?q=860 phone", "organizer", f"{people}?q=860555"),
        Page("/people/duplicates/", "organizer", reverse("members:duplicates")),
        Page(
            "/people/duplicates/ newest, one congregation",
            "organizer",
            reverse("members:duplicates") + f"?sort=newest&congregation={_largest_congregation()}",
        ),
        Page(
            "one-on-one person picker",
            "leader",
            reverse("relationships:person_search") + "?q=smi",
        ),
    ]
    if door is not None:
        search = reverse("actions:check_in_search", args=[door.pk])
        extra.append(Page("door search", "lead", f"{search}?q=smi"))
        # The same name search on the attendance-after page: it runs whatever the time (the
        # door's own search answers "door closed" outside its window, and then runs no search).
        after = reverse("actions:attendance_after", args=[door.pk])
        extra.append(Page("door name search, attendance after", "lead", f"{after}?q=smi"))
    return extra


def _largest_congregation() -> int:
    from django.db.models import Count

    from congregations.models import Congregation

    largest = Congregation.objects.annotate(n=Count("memberships")).order_by("-n").first()
    return largest.pk if largest else 0


def sweep_rules() -> list[tuple[str, Callable]]:
    """The reminder sweep's two rules over every owner's open follow-ups (notifications), run
    as the sweep runs them: their own queries, whatever shape the rules give them."""
    return [
        ("sweep: follow-ups due today or tomorrow", reminders.followups_due),
        ("sweep: follow-ups overdue", reminders.followups_overdue),
    ]


def rule_plans(name: str, rule: Callable) -> dict:
    """Every SELECT a rule runs at today's daily hour, explained (the rule only reads: its
    messages are claimed by the sweep, not here)."""
    hour = conect_setting("NOTIFY_DAILY_HOUR")
    now = timezone.localtime().replace(hour=hour, minute=30, second=0, microsecond=0)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for _due in rule(now):
            pass
        elapsed = (time.perf_counter() - started) * 1000
    queries = explained(captured.captured_queries)
    return {"name": name, "ms": elapsed, "count": len(captured), "queries": queries}


def explain(sql: str) -> tuple[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    found = EXECUTION.search(plan)
    return plan, float(found.group(1)) if found else 0.0


def explained(captured: list[dict]) -> list[dict]:
    """Each captured read with its plan, time and sequential scans over big tables."""
    queries = []
    for query in captured:
        sql = query["sql"]
        # A DECLARE is an iterator()'s server-side cursor: explained as declared, since a
        # cursor is planned for its first rows and without parallel workers.
        if not sql.lstrip().upper().startswith(("SELECT", "DECLARE")):
            continue
        plan, ms = explain(sql)
        scans = sorted({t for t in SEQ_SCAN.findall(plan) if t in BIG_TABLES})
        queries.append({"sql": sql, "plan": plan, "ms": ms, "big_seq_scans": scans})
    return queries


def page_plans(page: Page, client: Client) -> dict:
    client.get(page.path, secure=True)  # warm
    # The plans are of what a page asks when it is built: not of a cached fragment's hit.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(page.path, secure=True)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (page, response.status_code)
    queries = explained(captured.captured_queries)
    return {"page": page, "ms": elapsed, "count": len(captured), "queries": queries}


def write(result: dict, folder: Path) -> Path:
    page = result["page"]
    out = folder / f"{slugify(page.name) or 'home'}-{page.persona}.txt"
    return write_queries(
        out,
        [
            f"{page.name} as {page.persona}: GET {page.path}",
            f"{result['count']} queries, page {result['ms']:.0f} ms in-process",
        ],
        result["queries"],
    )


def write_queries(out: Path, header: list[str], queries: list[dict]) -> Path:
    lines = [*header, ""]
    for number, query in enumerate(queries, start=1):
        lines += [f"--- query {number}: {query['ms']:.1f} ms", query["sql"], "", query["plan"], ""]
    out.write_text("\n".join(lines))
    return out


def summary_row(name: str, path: Path, persona: str, result: dict) -> str:
    slowest = max((q["ms"] for q in result["queries"]), default=0.0)
    scans = sorted({t for q in result["queries"] for t in q["big_seq_scans"]})
    return (
        f"| [{name}]({path.name}) | {persona} | {result['count']} | "
        f"{slowest:,.1f} | {', '.join(scans) or '—'} |"
    )


def _api_client(tokens: ApiTokens, page: Page) -> Client:
    """An API page is asked with the persona's token, as a client of the API asks it."""
    return Client(headers=api_headers(tokens.for_persona(page.persona)))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench plans", description=__doc__)
    parser.add_argument("--out", type=Path, default=PLANS)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="explain only the pages whose name contains this (repeatable); their rows in "
        "SUMMARY.md are replaced and the others kept",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages, _skipped = key_pages()
    clients = {}
    for persona, email in PERSONAS.items():
        # Signed in as the runner signs in (two-factor enrolment included): on a fresh seed the
        # staff personas' pages would otherwise redirect to the enrolment page.
        clients[persona] = Client()
        clients[persona].cookies.load(session_cookie(User.objects.get(email=email)))
    people = Person.objects.count()
    summary = [
        f"# Query plans at {people:,} people",
        "",
        "Written by `python -m bench plans` (bench/README.md). Per page: its queries, the",
        "slowest one's execution time, and any sequential scan over a big table.",
        "",
        "| page | as | queries | slowest ms | seq scans over big tables |",
        "|---|---|---:|---:|---|",
    ]
    chosen = [
        page
        for page in [*pages, *extra_pages()]
        if not args.only or any(part in page.name for part in args.only)
    ]
    tokens = ApiTokens()
    try:
        results = [
            page_plans(page, _api_client(tokens, page) if page.by_token else clients[page.persona])
            for page in chosen
        ]
    finally:
        tokens.revoke_all()  # the plans' tokens stop working with the run
    for result in results:
        page = result["page"]
        summary.append(summary_row(page.name, write(result, args.out), page.persona, result))
        print(summary[-1], flush=True)
    for name, rule in sweep_rules():
        if args.only and not any(part in name for part in args.only):
            continue
        result = rule_plans(name, rule)
        header = [f"{name}: {result['count']} queries, {result['ms']:.0f} ms in-process"]
        path = write_queries(args.out / f"{slugify(name)}.txt", header, result["queries"])
        summary.append(summary_row(name, path, "(Celery)", result))
        print(summary[-1], flush=True)
    if args.only:
        summary = _merged(args.out / "SUMMARY.md", summary)
    (args.out / "SUMMARY.md").write_text("\n".join(summary) + "\n")


def _merged(path: Path, fresh: list[str]) -> list[str]:
    """The existing summary with the rows of the pages just explained replaced (matched by
    their plan file) and new ones appended; the header is the fresh one."""
    if not path.exists():
        return fresh
    header = [line for line in fresh if not line.startswith("| [")]
    new_rows = {row.split("](")[1].split(")")[0]: row for row in fresh if row.startswith("| [")}
    rows = []
    for line in path.read_text().splitlines():
        if line.startswith("| ["):
            key = line.split("](")[1].split(")")[0]
            rows.append(new_rows.pop(key, line))
    return header + rows + list(new_rows.values())
