"""The relational half of the organizer's and leader's home: their week, follow-ups due, who is
going cold and who is rising. Read-only, through relationships.selectors; a fixed number of
queries whatever the number of meetings (home.dashboards calls `relational_week`)."""

import datetime

from conect.config import conect_setting
from members.selectors import people_visible_to, with_primary_congregation

from .models import OneOnOne
from .selectors import (
    follow_up_buckets,
    follow_ups_open,
    going_cold,
    local_today,
    rising,
    weekly_counts,
    weekly_counts_in_scope,
    weekly_target_of,
)

LIST_LENGTH = 6
SPARK_WIDTH, SPARK_HEIGHT, SPARK_BAR = 120, 32, 8


def sparkline(counts: list[int], target: int) -> list[dict]:
    """Bars of a small server-side SVG chart (x, y, height), scaled to max(counts, target)."""
    top = max([*counts, target, 1])
    step = SPARK_WIDTH / len(counts)
    bars = []
    for i, n in enumerate(counts):
        height = round(SPARK_HEIGHT * n / top, 1) if n else 1
        bars.append(
            {"x": round(i * step, 1), "y": round(SPARK_HEIGHT - height, 1), "h": height, "n": n}
        )
    return bars


def relational_week(
    user, people, *, weeks: list[int] | None = None, today: datetime.date | None = None
) -> dict:
    """This week's one-on-ones vs the target, the last 12 weeks, follow-ups due in the next
    7 days, and who is going cold / rising among `people` (already scoped to `user`).
    `weeks` are the counts shown: by default those of the one-on-ones `user` held."""
    today = today or local_today()
    if weeks is None:
        weeks = weekly_counts(OneOnOne.objects.filter(author=user), today)
    target = weekly_target_of(user)
    week_end = today + datetime.timedelta(days=7)
    due = list(follow_ups_open(user, until=week_end)[: LIST_LENGTH * 2])
    days: int = conect_setting("GOING_COLD_DAYS")
    return {
        "target": target,
        "week_count": weeks[-1],
        "weeks": weeks,
        "spark": sparkline(weeks, target),
        "spark_size": (SPARK_WIDTH, SPARK_HEIGHT, SPARK_BAR),
        "follow_ups": follow_up_buckets(due, today),
        "follow_ups_shown": len(due),
        "going_cold": list(
            with_primary_congregation(going_cold(people, today, days))[:LIST_LENGTH]
        ),
        "going_cold_days": days,
        "rising": list(with_primary_congregation(rising(people))[:LIST_LENGTH]),
    }


def congregation_week(user) -> dict:
    """The same for a lead, over their congregation(s): every one-on-one held with its people
    (`one_on_ones_visible_to`), added up from the congregations' day tallies."""
    today = local_today()
    week = relational_week(
        user, people_visible_to(user), weeks=weekly_counts_in_scope(user, today), today=today
    )
    return {**week, "week_scope": "congregation"}
