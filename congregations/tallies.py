"""Congregation tallies (issue 16): people, leaders, core team and the ladder per congregation,
counted once here instead of on every page. Celery beat recounts every congregation each minute
(one grouped query: about a second at a million people), so a new person or a ladder move shows
within a minute whichever path wrote it (a form, an import, a merge, the admin); the demo seeders
call `tallies_refresh()` at their end."""

from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from conect.fragments import bump
from conect.ladder import LEADER_LEVELS

from .models import Congregation, CongregationTally, Membership, MembershipRole


def tallies_refresh(congregation_ids: Iterable[int] | None = None) -> int:
    """Recount the given congregations (all when None): one grouped query, one upsert.
    Returns how many tallies were written."""
    memberships = Membership.objects.filter(person__archived_at__isnull=True)
    congregations = Congregation.objects.all()
    if congregation_ids is not None:
        ids = sorted(set(congregation_ids))
        memberships = memberships.filter(congregation_id__in=ids)
        congregations = congregations.filter(pk__in=ids)
    rows = (
        memberships.order_by()
        .values_list("congregation_id", "person__level")
        .annotate(n=Count("id"), core=Count("id", filter=Q(role=MembershipRole.CORE_TEAM)))
    )
    now = timezone.now()
    counted = CongregationTally.objects.filter(congregation__in=congregations)
    before = {t.congregation_id: _shown(t) for t in counted}
    tallies = {
        pk: CongregationTally(congregation_id=pk, levels={}, refreshed_at=now)
        for pk in congregations.values_list("pk", flat=True)
    }
    for congregation_id, level, n, core in rows:
        tally = tallies[congregation_id]
        tally.levels[level] = n
        tally.people += n
        tally.core_team += core
        if level in LEADER_LEVELS:
            tally.leaders += n
    CongregationTally.objects.bulk_create(
        tallies.values(),
        update_conflicts=True,
        unique_fields=["congregation"],
        update_fields=["people", "leaders", "core_team", "levels", "refreshed_at"],
    )
    if any(before.get(pk) != _shown(tally) for pk, tally in tallies.items()):
        bump("people")  # the pages showing these counts are cached fragments (conect.fragments)
    return len(tallies)


def _shown(tally: CongregationTally) -> tuple:
    """What a page shows of a tally (not when it was counted)."""
    return (tally.people, tally.leaders, tally.core_team, tally.levels)
