"""Roll-ups over scoped meetings: the listening roll-up (the map is relationships.network).

It starts from relationships.selectors (so scope and the notes rule apply) and never read notes.
"""

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from conect import access
from congregations.models import Congregation

from .models import HouseMeeting, IssueHeard, ListeningTally, OneOnOne
from .selectors import house_meetings_visible_to, local_today, one_on_ones_visible_to

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
