"""Roll-ups over scoped meetings: the listening roll-up and the relationship map.

Both start from relationships.selectors (so scope and the notes rule apply) and never read notes.
"""

import datetime
import math
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from conect import access
from congregations.models import Congregation
from congregations.selectors import primary_congregation_ids
from members.models import Person

from .models import HouseMeeting, IssueHeard, ListeningTally, OneOnOne
from .selectors import house_meetings_visible_to, local_today, one_on_ones_visible_to

MAP_MAX_NODES = 5000
STAFF = "staff"  # the middle group: staff organizers (and admins) who log meetings
STAFF_ROLES = set(access.ORGANIZING_STAFF_ROLES)
DEFAULT_MONTHS = 12


def _period(since, until) -> tuple[datetime.date, datetime.date]:
    until = until or local_today()
    if since is None:
        month = until.month - DEFAULT_MONTHS + 1
        since = datetime.date(until.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return since, until


def _filtered(meetings, congregation, since, until):
    meetings = meetings.filter(held_on__gte=since, held_on__lte=until)
    if congregation is not None:
        meetings = meetings.filter(congregation=congregation)
    return meetings


def _exact_counts(user, congregation, since, until, *, narrow=None):
    """(issue, month, congregation, meetings) from the meetings themselves; `narrow` maps a
    meeting queryset to the part wanted (the tallied path counts only a user's own extras)."""
    for through, meetings, key in (
        (OneOnOne.issues.through, one_on_ones_visible_to(user), "oneonone"),
        (HouseMeeting.issues.through, house_meetings_visible_to(user), "housemeeting"),
    ):
        meetings = _filtered(meetings, congregation, since, until)
        if narrow is not None:
            meetings = narrow(meetings, key)
        yield from (
            through.objects.filter(**{f"{key}__in": meetings.values("pk")})
            .annotate(month=TruncMonth(f"{key}__held_on"))
            .values_list("issueheard_id", "month", f"{key}__congregation_id")
            .annotate(n=Count("id"))
            .order_by()
        )


def _tallied_counts(user, congregation, since, until):
    """The same rows from the listening tallies (relationships.tallies), when the period is whole
    months up to today and the user sees congregations, not only their own meetings: None when
    the exact path must answer."""
    whole_months = since.day == 1 and (
        until >= local_today() or (until + datetime.timedelta(days=1)).day == 1
    )
    ids = access.visible_congregation_ids(user)
    if not whole_months or not (ids is None or access.is_staff_or_lead(user)):
        return None
    tallies = ListeningTally.objects.filter(month__gte=since, month__lte=until)
    if congregation is not None:
        tallies = tallies.filter(congregation=congregation)
    if ids is not None:
        tallies = tallies.filter(congregation_id__in=ids)
    rows = list(
        tallies.order_by()
        .values_list("issue_id", "month", "congregation_id")
        .annotate(n=Sum("heard"))
    )
    if ids is not None:  # and the user's own meetings outside their congregations, exactly
        author = {"oneonone": "author", "housemeeting": "facilitator"}

        def own_elsewhere(meetings, key):
            return meetings.filter(**{author[key]: user}).exclude(congregation_id__in=ids)

        rows += _exact_counts(user, congregation, since, until, narrow=own_elsewhere)
    return rows


def listening_rollup(user, *, congregation=None, since=None, until=None) -> dict:
    """Issues heard, counted by month and by congregation, from one-on-ones and house meetings:
    from the tallies for whole months, from the meetings for a custom period or a leader."""
    since, until = _period(since, until)
    counted = _tallied_counts(user, congregation, since, until)
    if counted is None:
        counted = _exact_counts(user, congregation, since, until)
    by_month: dict[int, Counter] = defaultdict(Counter)
    by_congregation: dict[int, Counter] = defaultdict(Counter)
    for issue_id, month, congregation_id, n in counted:
        by_month[issue_id][month] += n
        by_congregation[issue_id][congregation_id] += n
    issues = IssueHeard.objects.in_bulk(list(by_month))
    congregation_ids = {cid for counts in by_congregation.values() for cid in counts if cid}
    congregations = Congregation.objects.in_bulk(list(congregation_ids))
    months = sorted({month for counts in by_month.values() for month in counts})
    columns = sorted(congregations.values(), key=lambda c: c.name)
    rows: list[dict[str, Any]] = []
    for issue_id, counts in by_month.items():
        heard_in = [(c, by_congregation[issue_id].get(c.pk, 0)) for c in columns]
        rows.append(
            {
                "issue": issues[issue_id],
                "total": sum(counts.values()),
                "months": [(m, counts.get(m, 0)) for m in months],
                "congregations": heard_in,
                # The phone's pivot, issue → congregations: where it is heard, most first.
                "heard_most_in": sorted(
                    ((c, n) for c, n in heard_in if n), key=lambda pair: (-pair[1], pair[0].name)
                ),
            }
        )
    rows.sort(key=lambda row: (-row["total"], row["issue"].name))
    return {
        "since": since,
        "until": until,
        "months": months,
        "congregations": columns,
        "rows": rows,
        "by_congregation": _issues_by_congregation(rows, columns),
    }


def _issues_by_congregation(rows, congregations) -> list[dict[str, Any]]:
    """The phone's pivot, congregation → issues: each congregation (by name) with what its
    meetings raised, most heard first."""
    cards = []
    for index, congregation in enumerate(congregations):
        heard = [(row["issue"], row["congregations"][index][1]) for row in rows]
        heard = sorted(
            ((issue, n) for issue, n in heard if n), key=lambda pair: (-pair[1], pair[0].name)
        )
        cards.append(
            {"congregation": congregation, "total": sum(n for _i, n in heard), "issues": heard}
        )
    return cards


def listening_meetings(
    user, *, issue, month: str = "", congregation=None, since=None, until=None, limit: int = 200
):
    """The meetings behind one cell of the roll-up (notes come as `visible_notes` only)."""
    since, until = _period(since, until)
    try:
        first = datetime.date.fromisoformat(month[:10])
    except ValueError:
        first = None
    if first is not None:
        since = max(since, first.replace(day=1))
        next_month = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        until = min(until, next_month - datetime.timedelta(days=1))
    one_on_ones = _filtered(one_on_ones_visible_to(user), congregation, since, until)
    house_meetings = _filtered(house_meetings_visible_to(user), congregation, since, until)
    return (
        one_on_ones.filter(issues=issue).order_by("-held_on", "-id")[:limit],
        house_meetings.filter(issues=issue).order_by("-held_on", "-id")[:limit],
    )


def relationship_graph(user, *, congregation=None, since=None, until=None) -> dict:
    """Who has met whom, laid out as an SVG: congregations around a circle, their people around
    each congregation, staff organizers in the middle. Meetings between people of different
    congregations (and of different faith traditions) are the bridges; a staff organizer's
    meetings are their job, not a bridge, and are drawn faintly."""
    since = since or local_today() - datetime.timedelta(days=365)
    until = until or local_today()
    meetings = _filtered(one_on_ones_visible_to(user), congregation, since, until).filter(
        author_person__isnull=False
    )
    rows = list(
        meetings.order_by()
        .values_list("author_person_id", "person_id", "author__role")
        .annotate(n=Count("id"))
        .values_list("author_person_id", "person_id", "author__role", "n")
    )
    staff = {a for a, _b, role, _n in rows if role in STAFF_ROLES}
    degree: Counter = Counter()
    for a, b, _role, n in rows:
        degree[a] += n
        degree[b] += n
    truncated = len(degree) > MAP_MAX_NODES
    node_ids = {pid for pid, _n in degree.most_common(MAP_MAX_NODES)}
    pairs: Counter = Counter()
    for a, b, _role, n in rows:
        if a in node_ids and b in node_ids and a != b:
            pairs[(a, b)] += n
    ids = list(node_ids)
    home: dict[int, int | str] = dict(primary_congregation_ids(ids))
    for pid in staff:
        home[pid] = STAFF
    names = {
        pk: f"{first} {last}".strip()
        for pk, first, last in Person.objects.filter(pk__in=ids).values_list(
            "pk", "first_name", "last_name"
        )
    }
    congregations = Congregation.objects.in_bulk([c for c in set(home.values()) if c != STAFF])
    return _layout(node_ids, pairs, home, congregations, names, degree, truncated)


def _spiral(cx: float, cy: float, members: list, position: dict) -> None:
    for k, pid in enumerate(members):  # a sunflower spiral: dense but never overlapping
        r = 4.0 * math.sqrt(k)
        theta = k * 2.39996
        position[pid] = (round(cx + r * math.cos(theta), 1), round(cy + r * math.sin(theta), 1))


def _layout(node_ids, pairs, home, congregations, names, degree, truncated) -> dict:
    groups: dict = defaultdict(list)
    for pid in sorted(node_ids, key=lambda p: (-degree[p], p)):
        groups[home.get(pid)].append(pid)
    ringed = sorted(
        (cid for cid in groups if cid in congregations), key=lambda cid: congregations[cid].name
    )
    size = 1000
    center = size / 2
    ring = size * 0.36
    position: dict = {}
    clusters = []
    for index, cid in enumerate(ringed):
        angle = 2 * math.pi * index / max(len(ringed), 1)
        members = groups[cid]
        _spiral(center + ring * math.cos(angle), center + ring * math.sin(angle), members, position)
        # Labels alternate between two radii so neighbours do not overlap.
        out = ring + 60 + 4 * math.sqrt(len(members)) + (28 if index % 2 else 0)
        clusters.append(
            {
                "name": congregations[cid].name,
                "x": round(center + out * math.cos(angle), 1),
                "y": round(center + out * math.sin(angle), 1),
                "count": len(members),
            }
        )
    # Staff organizers, and people with no congregation, in the middle.
    _spiral(center, center, groups.get(STAFF, []) + groups.get(None, []), position)
    edges, bridges, tradition_bridges = [], 0, 0
    for (a, b), n in pairs.items():
        ca, cb = home.get(a), home.get(b)
        kind = "within"
        if STAFF in (ca, cb):
            kind = "staff"
        elif ca and cb and ca != cb:
            kind = "bridge"
            bridges += 1
            if congregations[ca].tradition != congregations[cb].tradition:
                kind = "interfaith"
                tradition_bridges += 1
        (x1, y1), (x2, y2) = position[a], position[b]
        edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "kind": kind, "n": n})
    layer = {"staff": 0, "within": 1, "bridge": 2, "interfaith": 3}
    edges.sort(key=lambda e: layer[e["kind"]])  # bridges drawn last, on top
    nodes = [
        {
            "id": pid,
            "x": position[pid][0],
            "y": position[pid][1],
            "r": round(min(2 + math.sqrt(degree[pid]) / 2, 9), 1),
            "name": names.get(pid, ""),
            "staff": home.get(pid) == STAFF,
        }
        for pid in sorted(node_ids)
    ]
    return {
        "size": size,
        "nodes": nodes,
        "edges": edges,
        "clusters": clusters,
        "bridges": bridges,
        "tradition_bridges": tradition_bridges,
        "truncated": truncated,
        "max_nodes": MAP_MAX_NODES,
    }
