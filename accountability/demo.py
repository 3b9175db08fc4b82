"""Demo leaders' commitments for seed_demo (runs after seed_relationships): kept, broken and open,
consistent with the demo's attendance and meetings because they are measured from them.

Some invitations at past actions are credited to the leader who promised to bring people (the
actions step credits them all to the organizer); the one-on-one and house-meeting promises are
sized around what the leader really logged. Then the sweep resolves what is due, from the data.
Draws from a copy of the shared generator: the steps after this one see the same sequence."""

import datetime
import random

from django.utils import timezone

from actions.models import Action, Attendance
from conect.access import Role
from congregations.models import Membership
from members.models import User
from relationships.models import HouseMeeting, OneOnOne

from .models import CommitmentKind, LeaderCommitment, MadeAt
from .services import leader_commitments_resolve_due

LEADERS = 80  # how many demo leaders made commitments


def seed_leader_commitments(demo: dict) -> str:
    rng = random.Random()
    rng.setstate(demo["rng"].getstate())
    today = timezone.localdate()
    leaders = _leaders(demo, rng)
    if not leaders:
        return ""
    home_of = dict(
        Membership.objects.filter(person__user__in=leaders).values_list(
            "person__user", "congregation"
        )
    )
    actions_of = _actions_by_congregation(today)
    meetings_of = _house_meetings_by_congregation(today)
    rows, credited = [], 0
    for user in leaders:
        home = home_of.get(user.pk)
        if home is None:
            continue
        past, upcoming = actions_of.get(home, ([], []))
        if past:
            commitment, n = _bring_past(rng, user, home, rng.choice(past[:12]))
            if commitment is not None:
                rows.append(commitment)
                credited += n
        if past:
            rows.append(_one_on_ones(rng, user, rng.choice(past[:20]), today))
        if meetings_of.get(home):
            rows.append(_hosting(rng, user, rng.choice(meetings_of[home][:10]), today))
        if upcoming and rng.random() < 0.6:
            rows.append(_bring_upcoming(rng, user, upcoming[0], today))
    LeaderCommitment.objects.bulk_create(rows)
    resolved = leader_commitments_resolve_due()
    kept = LeaderCommitment.objects.filter(status="kept").count()
    return (
        f"{len(rows)} leaders' commitments ({resolved} resolved: {kept} kept, "
        f"{resolved - kept} broken), {credited} invitations credited to leaders"
    )


def _leaders(demo: dict, rng: random.Random) -> list[User]:
    """The demo leader login first (its person page shows the panel), then a sample."""
    everyone = list(
        User.objects.filter(role=Role.LEADER, person__isnull=False)
        .select_related("person")
        .order_by("pk")
    )
    main = demo.get("users", {}).get("leader")
    first = [u for u in everyone if main is not None and u.pk == main.pk]
    rest = [u for u in everyone if u not in first]
    return first + rng.sample(rest, min(len(rest), LEADERS))


def _actions_by_congregation(today) -> dict[int, tuple[list, list]]:
    """(past actions, most recent first; upcoming, soonest first) per participating
    congregation."""
    found: dict[int, tuple[list, list]] = {}
    links = Action.congregations.through.objects.select_related("action").order_by(
        "-action__starts_at"
    )
    for link in links:
        past, upcoming = found.setdefault(link.congregation_id, ([], []))
        day = timezone.localtime(link.action.starts_at).date()
        (past if day < today else upcoming).append(link.action)
    for _past, upcoming in found.values():
        upcoming.reverse()
    return found


def _house_meetings_by_congregation(today) -> dict[int, list]:
    found: dict[int, list] = {}
    since = today - datetime.timedelta(days=240)
    for meeting in HouseMeeting.objects.filter(held_on__gte=since).order_by("-held_on"):
        found.setdefault(meeting.congregation_id, []).append(meeting)
    return found


def _day(action) -> datetime.date:
    return timezone.localtime(action.starts_at).date()


def _bring_past(rng, user, home, action) -> tuple[LeaderCommitment | None, int]:
    """Credit some of the action's invitations from the leader's congregation to the leader; the
    promise is near what came, so some are kept and some broken. None if nobody was invited."""
    invited = list(
        Attendance.objects.filter(action=action, congregation=home)
        .exclude(invited_by__role=Role.LEADER)  # already credited to another leader
        .order_by("pk")
        .values_list("pk", "checked_in_at")[: rng.randint(4, 14)]
    )
    if not invited:
        return None, 0
    Attendance.objects.filter(pk__in=[pk for pk, _when in invited]).update(invited_by=user)
    came = sum(1 for _pk, when in invited if when)
    commitment = LeaderCommitment(
        person=user.person,
        kind=CommitmentKind.BRING,
        target=max(1, came + rng.choice([-2, -1, 0, 0, 1, 2, 3])),
        made_on=_day(action) - datetime.timedelta(days=rng.randint(7, 21)),
        due_on=_day(action),
        action=action,
        made_at=MadeAt.ACTION,
        source_action=action,
        recorded_by=user,
    )
    return commitment, len(invited)


def _one_on_ones(rng, user, action, today) -> LeaderCommitment:
    """Made at an action (or its evaluation): N one-on-ones in the weeks after, N near what the
    leader logged then (or, for one still open, a stretch)."""
    made_on = _day(action)
    due_on = made_on + datetime.timedelta(days=rng.choice([21, 30, 45]))
    held = OneOnOne.objects.filter(
        author=user, held_on__gte=made_on, held_on__lte=min(due_on, today)
    ).count()
    return LeaderCommitment(
        person=user.person,
        kind=CommitmentKind.ONE_ON_ONES,
        target=max(1, held + rng.choice([-1, 0, 0, 1, 2])),
        made_on=made_on,
        due_on=due_on,
        made_at=rng.choice([MadeAt.ACTION, MadeAt.EVALUATION]),
        source_action=action,
        recorded_by=user,
    )


def _hosting(rng, user, meeting, today) -> LeaderCommitment:
    return LeaderCommitment(
        person=user.person,
        kind=CommitmentKind.HOUSE_MEETING,
        target=1,
        made_on=meeting.held_on,
        due_on=meeting.held_on + datetime.timedelta(days=rng.choice([30, 45, 60])),
        made_at=MadeAt.HOUSE_MEETING,
        source_house_meeting=meeting,
        recorded_by=user,
    )


def _bring_upcoming(rng, user, action, today) -> LeaderCommitment:
    return LeaderCommitment(
        person=user.person,
        kind=CommitmentKind.BRING,
        target=rng.randint(3, 10),
        made_on=min(today, _day(action)),
        due_on=_day(action),
        action=action,
        made_at=MadeAt.ACTION,
        source_action=action,
        recorded_by=user,
    )


def wipe_leader_commitments() -> None:
    LeaderCommitment.objects.all().delete()
