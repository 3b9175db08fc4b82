"""What each role's home page shows. Reads only, through the apps' selectors; the user's scope
is computed once (conect.access caches it on the user) however many panels use it."""

from django.db.models import Count, Q, Window

from actions.models import Rsvp
from actions.selectors import call_list, evaluations_owed, turnout_rows, upcoming_actions
from conect import access
from conect.ladder import ladder_counts
from congregations.models import Congregation
from congregations.selectors import (
    congregations_visible_to,
    congregations_with_counts,
    congregations_with_dues,
    ladder_counts_of,
)
from members.selectors import network_ladder_counts, people_visible_to
from relationships.dashboard import congregation_week, relational_week


def next_action(user) -> dict:
    """The next action the user may see, with pledged and RSVP'd counts for their scope (the
    network's for network-wide roles, their congregations' otherwise)."""
    upcoming = upcoming_actions(user).order_by("starts_at", "id")
    ids = access.visible_congregation_ids(user)
    action = None
    if ids is not None:  # a scoped user: the next action their congregations take part in
        action = upcoming.filter(
            Q(congregations__in=ids) | Q(pledges__congregation__in=ids)
        ).first()
    action = action or upcoming.first()
    if action is None:
        return {"next_action": None}
    rows = turnout_rows(user, action)["rows"]
    pledged, rsvp = sum(row["pledged"] for row in rows), sum(row["rsvp"] for row in rows)
    # The gap: yeses still needed to meet the pledge (nothing once it is met).
    mine = {"pledged": pledged, "rsvp": rsvp, "gap": max(pledged - rsvp, 0)}
    return {"next_action": action, "next_action_turnout": mine}


EVALUATIONS_SHOWN = 5


def evaluations_owed_panel(user) -> dict:
    """Ended actions of the user's whose group evaluation is due or late (a few, and how many)."""
    # The few shown and how many in one query: the scope's joins cost 20-60 ms at a million
    # people, so counting them a second time doubled that on every home built afresh.
    owed = evaluations_owed(user).annotate(owed_count=Window(Count("pk")))
    shown = list(owed[:EVALUATIONS_SHOWN])
    return {
        "evaluations_owed": shown,
        "evaluations_owed_count": shown[0].owed_count if shown else 0,
        "can_evaluate": access.is_organizing_staff(user),  # a lead reminds; staff record
    }


def admin_home(user) -> dict:
    """The whole network: congregations, people and the ladder."""
    levels = network_ladder_counts()
    return {
        "congregation_count": Congregation.objects.count(),
        "people_count": sum(levels.values()),
        "ladder": ladder_counts(levels),
        "congregations": congregations_with_counts(Congregation.objects.all()),
    }


def organizer_home(user) -> dict:
    people = people_visible_to(user)
    return {
        **relational_week(user, people),
        **next_action(user),
        **evaluations_owed_panel(user),
        "congregations": congregations_with_counts(congregations_visible_to(user)),
        # The whole network's count from the ladder tallies; a scope's is counted (bounded).
        "people_count": sum(network_ladder_counts().values())
        if access.sees_whole_network(user)
        else people.count(),
    }


def lead_home(user) -> dict:
    congregations = list(
        congregations_with_dues(congregations_with_counts(congregations_visible_to(user)))
    )
    levels = ladder_counts_of(c.pk for c in congregations)
    cards = [
        {"congregation": c, "ladder": ladder_counts(levels.get(c.pk, {}))} for c in congregations
    ]
    upcoming = next_action(user)
    if upcoming["next_action"] is not None:  # whom to call toward the pledge
        upcoming["call_list"] = call_list(user, upcoming["next_action"])
        upcoming["rsvp_choices"] = [Rsvp.YES, Rsvp.MAYBE, Rsvp.NO]
    return {"cards": cards, **congregation_week(user), **upcoming, **evaluations_owed_panel(user)}


def leader_home(user) -> dict:
    people = people_visible_to(user)
    return {
        **relational_week(user, people),
        **next_action(user),
        "person": people.filter(user=user).first(),
        "congregations": congregations_visible_to(user).order_by("name"),
    }
