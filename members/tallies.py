"""The network's ladder, counted once a minute instead of on every admin or network-wide home
(issue 16); the congregations' own counts are congregations.tallies."""

from django.db.models import Count
from django.utils import timezone

from conect.fragments import bump
from conect.ladder import Level

from .models import LadderTally, Person


def ladder_tally_refresh() -> int:
    """Recount the network's people (not archived) by ladder level into LadderTally: one grouped
    query and one upsert; a level nobody is on any more drops to 0. Returns the people counted."""
    now = timezone.now()
    before = dict(LadderTally.objects.filter(people__gt=0).values_list("level", "people"))
    counts = dict(
        Person.objects.filter(archived_at__isnull=True)
        .order_by()
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    LadderTally.objects.bulk_create(
        [
            LadderTally(level=level, people=counts.get(level, 0), refreshed_at=now)
            for level in {*Level.values, *counts}
        ],
        update_conflicts=True,
        unique_fields=["level"],
        update_fields=["people", "refreshed_at"],
    )
    if before != {level: n for level, n in counts.items() if n}:
        bump("people")  # the homes showing the ladder are cached fragments (conect.fragments)
    return sum(counts.values())
