"""One-on-ones over time, per congregation and per organizer: the reports page's small-multiple
charts. Two grouped queries over the scoped meetings (month × congregation, month × author),
drawn server-side as SVG bars (no script, no CDN)."""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth

from conect import access
from congregations.models import Congregation
from members.models import User

from .selectors import local_today, one_on_ones_visible_to

MONTHS = 12
BAR_WIDTH = 8
BAR_GAP = 2
HEIGHT = 28


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _series(counts: dict[datetime.date, int], months: list, biggest: int) -> dict:
    bars = []
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        height = round(HEIGHT * n / biggest, 1) if n else 0
        bars.append(
            {"x": i * (BAR_WIDTH + BAR_GAP), "y": HEIGHT - height, "h": height, "n": n, "m": month}
        )
    return {"bars": bars, "total": sum(counts.values()), "last": counts.get(months[-1], 0)}


def _rows(grouped: dict, names: dict, months: list) -> list[dict]:
    biggest = max([n for counts in grouped.values() for n in counts.values()] + [1])
    rows = [
        {"name": names[key], **_series(counts, months, biggest)}
        for key, counts in grouped.items()
        if key in names
    ]
    rows.sort(key=lambda row: (-row["total"], row["name"]))
    return rows


def one_on_ones_over_time(user) -> dict:
    """Monthly one-on-ones for the last twelve months, per congregation and per staff organizer,
    on one scale per chart so the rows compare."""
    months = _months(local_today())
    meetings = (
        one_on_ones_visible_to(user)
        .filter(held_on__gte=months[0], held_on__lte=local_today())
        .order_by()
        .annotate(month=TruncMonth("held_on"))
    )
    by_congregation: dict = defaultdict(dict)
    for cid, month, n in (
        meetings.filter(congregation__isnull=False)
        .values_list("congregation_id", "month")
        .annotate(n=Count("id"))
    ):
        by_congregation[cid][_as_date(month)] = n
    by_organizer: dict = defaultdict(dict)
    for uid, month, n in (
        meetings.filter(author__role__in=list(access.ORGANIZING_STAFF_ROLES))
        .values_list("author_id", "month")
        .annotate(n=Count("id"))
    ):
        by_organizer[uid][_as_date(month)] = n
    congregations = dict(
        Congregation.objects.filter(pk__in=list(by_congregation)).values_list("pk", "name")
    )
    organizers = {
        u.pk: u.get_full_name() or u.email for u in User.objects.filter(pk__in=list(by_organizer))
    }
    return {
        "months": months,
        "width": MONTHS * (BAR_WIDTH + BAR_GAP),
        "height": HEIGHT,
        "bar": BAR_WIDTH,
        "congregations": _rows(by_congregation, congregations, months),
        "organizers": _rows(by_organizer, organizers, months),
    }


def _as_date(month) -> datetime.date:
    """TruncMonth gives a date on a DateField; be safe with a datetime too."""
    return month.date() if isinstance(month, datetime.datetime) else month
