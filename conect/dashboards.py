"""What each role's home page shows. Reads only, through the apps' selectors."""

from django.db.models import Count, Q

from actions.selectors import turnout_rows, upcoming_actions
from congregations.models import Congregation, MembershipRole
from congregations.selectors import (
    congregation_ids_visible_to,
    congregations_visible_to,
    congregations_with_dues,
)
from members.models import Level, Person
from members.selectors import people_visible_to
from relationships.dashboard import congregation_week, relational_week


def next_action(user) -> dict:
    """The next action the user may see, with pledged and RSVP'd counts for their scope (the
    network's for network-wide roles, their congregations' otherwise)."""
    upcoming = upcoming_actions(user).order_by("starts_at", "id")
    ids = congregation_ids_visible_to(user)
    action = None
    if ids is not None:  # a scoped user: the next action their congregations take part in
        action = upcoming.filter(
            Q(congregations__in=ids) | Q(pledges__congregation__in=ids)
        ).first()
    action = action or upcoming.first()
    if action is None:
        return {"next_action": None}
    turnout = turnout_rows(user, action)
    rows = turnout["rows"]
    mine = {
        "pledged": sum(row["pledged"] for row in rows),
        "rsvp": sum(row["rsvp"] for row in rows),
    }
    return {"next_action": action, "next_action_turnout": mine}


def _with_counts(congregations):
    """Congregations annotated with people, core-team and leader counts: one query."""
    active = Q(memberships__person__archived_at__isnull=True)
    return congregations.annotate(
        people_count=Count("memberships", filter=active),
        core_team_count=Count(
            "memberships", filter=active & Q(memberships__role=MembershipRole.CORE_TEAM)
        ),
        leader_count=Count(
            "memberships",
            filter=active
            & Q(memberships__person__level__in=[Level.LEADER, Level.CORE_TEAM, Level.KEY_LEADER]),
        ),
    ).order_by("name")


def network_summary() -> dict:
    levels = dict(
        Person.objects.filter(archived_at__isnull=True)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return {
        "congregation_count": Congregation.objects.count(),
        "people_count": sum(levels.values()),
        "ladder": [(label, levels.get(value, 0)) for value, label in Level.choices],
        "congregations": _with_counts(Congregation.objects.all()),
    }


def organizer_home(user) -> dict:
    # relationships (issue 4): the week, follow-ups, going cold, rising.
    people = people_visible_to(user)
    return {
        **relational_week(user, people),
        **next_action(user),
        "congregations": _with_counts(congregations_visible_to(user)),
        "people_count": people.count(),
    }


def lead_home(user) -> dict:
    cards = []
    congregations = list(congregations_with_dues(_with_counts(congregations_visible_to(user))))
    levels_by_congregation: dict[int, dict[str, int]] = {}
    rows = (
        Person.objects.filter(archived_at__isnull=True, memberships__congregation__in=congregations)
        .values_list("memberships__congregation", "level")
        .annotate(n=Count("id"))
    )
    for congregation_id, level, n in rows:
        levels_by_congregation.setdefault(congregation_id, {})[level] = n
    for congregation in congregations:
        counts = levels_by_congregation.get(congregation.pk, {})
        ladder = [(label, counts.get(value, 0)) for value, label in Level.choices]
        cards.append({"congregation": congregation, "ladder": ladder})
    # relationships (issue 4): the same week, follow-ups, going cold and rising, congregation-wide.
    return {"cards": cards, **congregation_week(user), **next_action(user)}


def leader_home(user) -> dict:
    # relationships (issue 4): a leader's own week, among the people they have met.
    people = people_visible_to(user)
    return {
        **relational_week(user, people),
        **next_action(user),
        "person": people.filter(user=user).first(),
        "congregations": congregations_visible_to(user).order_by("name"),
    }
