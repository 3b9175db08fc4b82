"""Reads of actions, pledges and attendance.

Actions themselves are public action info: every signed-in role sees the calendar. Pledges,
attendance and anything about people are scoped: counts per congregation only for the
congregations the user may see (`congregations_visible_to`), names only of people they may see
(`people_visible_to`). Network totals are plain numbers and carry no one's data.
"""

import datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from campaigns.selectors import actions_involving_q
from conect import access
from conect.config import conect_setting
from congregations.models import Congregation, Membership
from congregations.selectors import congregations_visible_to
from members.selectors import is_selective, name_order, people_visible_to

from .models import (
    Action,
    ActionFollowUp,
    Attendance,
    CalendarFeed,
    Evaluation,
    EvaluationKind,
    Rsvp,
    TurnoutPledge,
)

RSVP_YES = (Rsvp.YES,)  # said yes beforehand; walk-ins count only as actual


def actions_visible_to(user) -> QuerySet[Action]:
    actions = Action.objects.select_related("campaign").annotate(
        has_group_evaluation=Exists(
            Evaluation.objects.filter(action=OuterRef("pk"), kind=EvaluationKind.GROUP)
        )
    )
    return actions if access.signed_in(user) else actions.none()


def actions_involving(user) -> QuerySet[Action]:
    """The actions `user` may change if their role allows (edit, evaluate): every action for
    the whole network; otherwise those one of their congregations takes part in, those they
    scheduled and those of a campaign they lead. Every other action is public to read and out
    of scope to change (404)."""
    actions = actions_visible_to(user)
    ids = access.visible_congregation_ids(user)
    if ids is None:  # the whole network (actions_involving_q says None)
        return actions
    if not access.signed_in(user):
        return actions.none()
    # actions_involving_q's rule, with the congregations' actions found through their link
    # table: the OR across a join of every action-congregation link read all 37,921 of them
    # at 1,000,000 people (17 ms of the lead's home). tests/actions/test_involving.py keeps
    # the two the same.
    taking_part = Action.congregations.through.objects.filter(congregation_id__in=ids).values(
        "action_id"
    )
    return actions.filter(
        Q(pk__in=taking_part) | Q(created_by=user.pk) | Q(campaign__lead_organizer=user.pk)
    )


def involves(user, action: Action) -> bool:
    """Whether `action` involves `user` (`actions_involving`); no query for the whole network."""
    involved = actions_involving_q(user)
    if involved is None:
        return access.signed_in(user)
    return Action.objects.filter(involved, pk=action.pk).exists()


def attendance_visible_to(user) -> QuerySet[Attendance]:
    """Attendance rows whose person the user may see."""
    return Attendance.objects.filter(person__in=people_visible_to(user))


def actions_attended(user, person) -> int:
    """How many actions `person` was checked in at (as far as `user` may see them)."""
    return attendance_visible_to(user).filter(person=person, checked_in_at__isnull=False).count()


def pledge_congregations(user, action: Action) -> QuerySet[Congregation]:
    """The congregations `user` may pledge for on this action."""
    if not access.is_staff_or_lead(user):
        return Congregation.objects.none()
    return congregations_visible_to(user).order_by("name")


def turnout_rows(user, action: Action) -> dict:
    """Pledged, RSVP'd and actual per congregation the user may see, and network totals
    (`action_turnout`'s rows and totals: two queries whatever the number of attendees)."""
    turnout = action_turnout(user, action)
    return {"rows": turnout["rows"], "totals": turnout["totals"]}


def action_turnout(user, action: Action) -> dict:
    """What the action page shows of its congregations, in two queries whatever the number of
    attendees: the RSVPs and turnout per congregation (one grouped count), and every
    congregation of the network (a few dozen) with its pledge to this action and whether it
    takes part. Returns `rows` (pledged, RSVP'd and actual per congregation the user may see
    that pledged, was invited or takes part, by name), `totals` (the whole network's: plain
    numbers, walk-ins credited to no congregation included), `participating` (the action's
    congregations, for the calendar warnings) and `visible` (the congregations the user may
    see, by name)."""
    ids = access.visible_congregation_ids(user)
    counts: dict[int, Any] = {
        row["congregation"]: row
        for row in Attendance.objects.filter(action=action)
        .values("congregation")
        .annotate(
            rsvp=Count("id", filter=Q(rsvp__in=RSVP_YES)),
            actual=Count("id", filter=Q(checked_in_at__isnull=False)),
        )
        .order_by()
    }
    takes_part = Action.congregations.through.objects.filter(
        action_id=action.pk, congregation_id=OuterRef("pk")
    )
    pledge = TurnoutPledge.objects.filter(action=action, congregation=OuterRef("pk"))
    congregations = list(
        Congregation.objects.only("pk", "name", "slug", "tradition")
        .annotate(pledged=Subquery(pledge.values("pledged")[:1]), takes_part=Exists(takes_part))
        .order_by("name", "pk")
    )
    visible = [c for c in congregations if ids is None or c.pk in ids]
    rows = [
        {
            "congregation": c,
            "pledged": c.pledged or 0,
            "rsvp": counts.get(c.pk, {}).get("rsvp", 0),
            "actual": counts.get(c.pk, {}).get("actual", 0),
        }
        for c in visible
        if c.pledged is not None or c.pk in counts or c.takes_part
    ]
    totals = {
        "pledged": sum(c.pledged or 0 for c in congregations),
        "rsvp": sum(r["rsvp"] for r in counts.values()),
        "actual": sum(r["actual"] for r in counts.values()),
    }
    participating = [c for c in congregations if c.takes_part]
    return {"rows": rows, "totals": totals, "participating": participating, "visible": visible}


def call_list(user, action: Action, limit: int = 10) -> dict:
    """Whom to call next: people invited to `action` by the user's congregations who have not
    answered yet (and may still be contacted), those invited longest ago first; the first
    `limit` and how many invitations are waiting in all. Two queries, both on the partial index
    of unanswered invitations (action, congregation, id): the count reads only that index, and
    the rows walk it in order and read the first people only (ordering by name would read every
    invitee's person row to sort them: seconds when a lead invites a whole congregation at
    1,000,000 people, bench/README.md)."""
    waiting = Attendance.objects.filter(action=action, rsvp=Rsvp.INVITED)
    ids = access.visible_congregation_ids(user)
    if ids is not None:
        waiting = waiting.filter(congregation_id__in=ids)
    callable_ = waiting.filter(
        person__in=people_visible_to(user), person__do_not_contact=False
    ).select_related("person", "congregation")
    rows, total = list(callable_.order_by("id")[:limit]), waiting.count()
    return {"rows": rows, "total": total, "more": max(total - len(rows), 0)}


def asks_summary(action: Action) -> str:
    """One line per ask put at the action: who, their answer, what was asked (for the
    group evaluation's "asks answered")."""
    return "\n".join(
        f"{c.target.name}: {c.get_answer_display()} — {c.ask}"
        for c in action.commitments.select_related("target").order_by("id")
    )


def checked_in_count(action: Action) -> int:
    return Attendance.objects.filter(action=action, checked_in_at__isnull=False).count()


def recorded_after(user, action: Action) -> QuerySet[Attendance]:
    """Attendance recorded after the fact at `action`, of people the user may see, newest first."""
    return (
        attendance_visible_to(user)
        .filter(action=action, recorded_after=True)
        .select_related("person", "checked_in_by")
        .order_by("-checked_in_at", "-id")
    )


def door_search(user, action: Action, query: str, limit: int = 15) -> list:
    """People the user may see whose first or last name (or "first last") starts with `query`,
    with their primary congregation and whether they are already checked in. Two queries."""
    words = query.split()
    matches = people_visible_to(user)
    for word in words[:3]:
        matches = matches.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    people: list = list(
        matches.annotate(
            primary_congregation=Membership.objects.filter(
                person=OuterRef("pk"), is_primary=True
            ).values("congregation__name")[:1],
            primary_congregation_id=Membership.objects.filter(
                person=OuterRef("pk"), is_primary=True
            ).values("congregation_id")[:1],
        ).order_by(*name_order("last_name", "first_name", "id", matches_first=is_selective(query)))[
            :limit
        ]
    )
    checked = dict(
        Attendance.objects.filter(action=action, person__in=[p.pk for p in people]).values_list(
            "person_id", "checked_in_at"
        )
    )
    for person in people:
        person.checked_in_at = checked.get(person.pk)
    return people


def evaluation_status(action: Action) -> dict:
    """What the action page says about evaluation: due, recorded, formal window."""
    evaluations = list(action.evaluations.all())
    group = next((e for e in evaluations if e.kind == EvaluationKind.GROUP), None)
    formal = next((e for e in evaluations if e.kind == EvaluationKind.FORMAL), None)
    return {
        "group": group,
        "formal": formal,
        "individual_count": sum(e.kind == EvaluationKind.INDIVIDUAL for e in evaluations),
        "group_due": action.has_ended and group is None,
        "formal_window": action.formal_evaluation_window,
        "complete": group is not None,
    }


FOLLOW_UPS_LISTED = 20


_UNKNOWN: Any = object()


def followups_created(user, action: Action, *, group: Evaluation | None = _UNKNOWN) -> dict:
    """The return to relationships of `action` as the action page shows it: whether it has run
    (`pending` until its task finishes), how many follow-ups it created, and the first people
    (those `user` may see) with the owner each went to. `group`: the group evaluation, when
    the caller has it already."""
    if group is _UNKNOWN:
        group = action.evaluations.filter(kind=EvaluationKind.GROUP).first()
    links = ActionFollowUp.objects.filter(action=action)
    count = links.count()
    shown = []
    if count:
        shown = list(
            links.filter(person__in=people_visible_to(user))
            .select_related("person", "owner")
            .order_by("person__last_name", "person__first_name", "id")[:FOLLOW_UPS_LISTED]
        )
    pending = group is not None and group.followups_done_at is None
    return {"pending": pending, "count": count, "people": shown}


def evaluations_owed(user) -> QuerySet[Action]:
    """Ended actions that involve `user` (their congregations take part, they scheduled it or
    lead its campaign; every action for the whole network) and still have no group evaluation,
    the most recent first; `evaluation_late` once EVALUATION_LATE_HOURS have passed."""
    now = timezone.now()
    late_before = now - datetime.timedelta(hours=conect_setting("EVALUATION_LATE_HOURS"))
    return (
        actions_involving(user)
        .filter(ends_at__lt=now)
        .exclude(
            Exists(Evaluation.objects.filter(action=OuterRef("pk"), kind=EvaluationKind.GROUP))
        )
        .annotate(
            evaluation_late=Case(
                When(ends_at__lt=late_before, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-ends_at", "-id")
    )


def upcoming_actions(user, days: int = 60) -> QuerySet[Action]:
    now = timezone.now()
    return actions_visible_to(user).filter(
        ends_at__gte=now, starts_at__lte=now + datetime.timedelta(days=days)
    )


def congregation_turnout_history(user, congregation: Congregation, limit: int = 6) -> list[dict]:
    """Pledged vs actual for the congregation's last `limit` past actions (two queries)."""
    if not congregations_visible_to(user).filter(pk=congregation.pk).exists():
        return []
    now = timezone.now()
    actions = list(
        Action.objects.filter(starts_at__lte=now)
        .filter(Q(pledges__congregation=congregation) | Q(attendances__congregation=congregation))
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    pledged = dict(
        TurnoutPledge.objects.filter(congregation=congregation, action__in=actions).values_list(
            "action", "pledged"
        )
    )
    actual = dict(
        Attendance.objects.filter(
            congregation=congregation, action__in=actions, checked_in_at__isnull=False
        )
        .values("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )
    return [
        {"action": a, "pledged": pledged.get(a.pk, 0), "actual": actual.get(a.pk, 0)}
        for a in reversed(actions)
    ]


def turnout_by_quarter(user) -> list[dict]:
    """Report: pledged and actual per congregation (in scope) per quarter."""
    congregations = congregations_visible_to(user)
    pledged = (
        TurnoutPledge.objects.filter(congregation__in=congregations)
        .annotate(y=ExtractYear("action__starts_at"), q=ExtractQuarter("action__starts_at"))
        .values("congregation__name", "y", "q")
        .annotate(n=Sum("pledged"))
    )
    actual = (
        Attendance.objects.filter(congregation__in=congregations, checked_in_at__isnull=False)
        .annotate(y=ExtractYear("action__starts_at"), q=ExtractQuarter("action__starts_at"))
        .values("congregation__name", "y", "q")
        .annotate(n=Count("id"))
    )
    table: dict[tuple, dict] = {}
    for row in pledged:
        key = (row["y"], row["q"], row["congregation__name"])
        table.setdefault(key, {"pledged": 0, "actual": 0})["pledged"] = row["n"] or 0
    for row in actual:
        key = (row["y"], row["q"], row["congregation__name"])
        table.setdefault(key, {"pledged": 0, "actual": 0})["actual"] = row["n"]
    return [
        {"quarter": f"{y}-Q{q}", "congregation": name, **values}
        for (y, q, name), values in sorted(table.items())
    ]


def calendar_feed_of(user) -> CalendarFeed | None:
    """The user's own calendar subscription address, if they have made one."""
    return CalendarFeed.objects.filter(user=user).first() if access.signed_in(user) else None


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a subscription URL's token opens: only an active user's (a deactivated login's
    addresses stop working)."""
    if not token:
        return None
    feeds = CalendarFeed.objects.select_related("user")
    return feeds.filter(token=token, user__is_active=True).first()


def last_action_turnout(user, congregation_ids) -> dict[int, dict]:
    """{congregation id: {"action", "pledged", "actual"}} for each congregation's most recent
    past action it pledged turnout to: two queries whatever the number of congregations (the
    congregations list's activity column, offered to congregations.activity in ready())."""
    if not access.signed_in(user):
        return {}
    # Each congregation's latest past pledge, picked by the database (one small index walk per
    # congregation), not every past pledge of the network read into Python: 2 s at 1M people.
    latest = (
        TurnoutPledge.objects.filter(
            congregation_id=OuterRef("pk"), action__starts_at__lte=timezone.now()
        )
        .order_by("-action__starts_at", "-action_id")
        .values("pk")[:1]
    )
    chosen = (
        Congregation.objects.filter(pk__in=list(congregation_ids))
        .annotate(pledge_id=Subquery(latest))
        .values("pledge_id")
    )
    last: dict[int, TurnoutPledge] = {
        pledge.congregation_id: pledge
        for pledge in TurnoutPledge.objects.filter(pk__in=chosen).select_related("action")
    }
    turnout = Attendance.objects.filter(
        action_id__in={p.action_id for p in last.values()},
        congregation_id__in=list(last),
        checked_in_at__isnull=False,
    )
    actual = {
        (a, c): n
        for a, c, n in turnout.order_by()
        .values_list("action_id", "congregation_id")
        .annotate(n=Count("id"))
    }
    return {
        cid: {
            "action": pledge.action,
            "pledged": pledge.pledged,
            "actual": actual.get((pledge.action_id, cid), 0),
        }
        for cid, pledge in last.items()
    }


def rsvp_promises_kept(user, person) -> dict[str, int]:
    """A person's word at past actions (as far as `user` may see them): how many times they said
    yes, and how many of those times they came. One query."""
    said_yes = attendance_visible_to(user).filter(
        person=person, action__starts_at__lt=timezone.now()
    )
    counts = said_yes.filter(rsvp__in=RSVP_YES).aggregate(
        promised=Count("id"), kept=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    return {"promised": counts["promised"], "kept": counts["kept"]}
