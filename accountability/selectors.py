"""Reads: leaders' commitments scoped to the user, with their progress measured from the data in
the same query (a subquery per kind), so a list of any length is one query."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from actions.models import Attendance
from conect import access
from congregations.models import Membership
from members.models import Person, User
from members.selectors import people_editable_by
from relationships.models import HouseMeeting, OneOnOne

from .models import CommitmentKind, CommitmentStatus, LeaderCommitment


def _count(queryset) -> Coalesce:
    """COUNT(*) of a correlated queryset, as an expression (0 when nothing matches)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def measured_q() -> Case:
    """What the data says a commitment's leader has done so far, by kind: their invitees who
    checked in at the action; one-on-ones they held, and house meetings they facilitated, from
    the day it was made to its due date (both included)."""
    leader = OuterRef("person__user")
    window = {"held_on__gte": OuterRef("made_on"), "held_on__lte": OuterRef("due_on")}
    brought = Attendance.objects.filter(
        action=OuterRef("action"), invited_by=leader, checked_in_at__isnull=False
    )
    held = OneOnOne.objects.filter(author=leader, **window)
    hosted = HouseMeeting.objects.filter(facilitator=leader, **window)
    return Case(
        When(kind=CommitmentKind.BRING, then=_count(brought)),
        When(kind=CommitmentKind.ONE_ON_ONES, then=_count(held)),
        When(kind=CommitmentKind.HOUSE_MEETING, then=_count(hosted)),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_progress(commitments: QuerySet[LeaderCommitment]) -> QuerySet[LeaderCommitment]:
    """`progress`: the stored evidence once resolved, the live count while open."""
    return commitments.annotate(
        progress=Case(
            When(status=CommitmentStatus.OPEN, then=measured_q()),
            default=F("evidence"),
            output_field=IntegerField(),
        )
    )


def measure(commitment: LeaderCommitment) -> int:
    """The live count for one commitment (the resolution's evidence)."""
    found = (
        LeaderCommitment.objects.filter(pk=commitment.pk)
        .annotate(measured=measured_q())
        .values_list("measured", flat=True)
    )
    return found.first() or 0


def commitments_visible_to(user) -> QuerySet[LeaderCommitment]:
    """A leader sees their own commitments; leads, organizers and admins those of the people
    they may see."""
    commitments = LeaderCommitment.objects.select_related(
        "person", "action", "source_action", "source_house_meeting__congregation"
    )
    if not access.signed_in(user):
        return commitments.none()
    if user.role == access.Role.LEADER:
        return commitments.filter(person__user=user)
    ids = access.visible_congregation_ids(user)
    if ids is None:
        return commitments.filter(person__archived_at__isnull=True)
    # people_visible_to's rule for staff and leads, asked of the commitments' few people rather
    # than of every person (30k people: 150 ms → a few ms on SQLite).
    member = Membership.objects.filter(person=OuterRef("person"), congregation_id__in=ids)
    return commitments.filter(Exists(member), person__archived_at__isnull=True)


def leaders_recordable_by(user) -> QuerySet[Person]:
    """Whose commitments `user` may record: a leader their own; staff and leads the people with a
    login in their scope (only a login's meetings and invitations can be counted)."""
    if not access.signed_in(user):
        return Person.objects.none()
    if access.is_staff_or_lead(user):
        people = people_editable_by(user, include_archived=False)
    else:
        people = Person.objects.filter(user=user, archived_at__isnull=True)
    # From the logins (a few hundred) to their people: 165 ms → 7 ms at 30k people on SQLite.
    logins = User.objects.filter(is_active=True)
    return people.filter(user__in=logins).order_by("last_name", "first_name", "pk")


def bring_summary(user, action) -> dict:
    """ "Of 40 people our leaders said they'd bring, 31 came": the bring commitments to `action`
    the user may see, their targets summed and the leaders' invitees who checked in."""
    found = with_progress(commitments_visible_to(user).filter(action=action)).aggregate(
        promised=Coalesce(Sum("target"), 0),
        came=Coalesce(Sum("progress"), 0),
        leaders=Count("pk"),
    )
    return found


def status_counts(commitments: QuerySet[LeaderCommitment]) -> dict[str, int]:
    """{open, kept, broken}: counts over `commitments`, in one query."""
    found = commitments.aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in CommitmentStatus.values}
    )
    return found


def leaders_commitment_table(user, *, limit: int = 50) -> list[dict]:
    """Per leader in the user's scope who made a commitment: open, kept and broken counts, and the
    next due date, most broken first. One query."""
    rows = (
        commitments_visible_to(user)
        .order_by()
        .values("person", "person__first_name", "person__last_name")
        .annotate(
            open=Count("pk", filter=Q(status=CommitmentStatus.OPEN)),
            kept=Count("pk", filter=Q(status=CommitmentStatus.KEPT)),
            broken=Count("pk", filter=Q(status=CommitmentStatus.BROKEN)),
        )
        .order_by("-broken", "-open", "person__last_name", "person__first_name", "person")
    )
    return [
        {
            "person_id": row["person"],
            "name": f"{row['person__first_name']} {row['person__last_name']}".strip(),
            "open": row["open"],
            "kept": row["kept"],
            "broken": row["broken"],
        }
        for row in rows[:limit]
    ]


def due_for_resolution(today: datetime.date) -> QuerySet[LeaderCommitment]:
    """Open commitments whose due date has ended: the sweep resolves these."""
    return LeaderCommitment.objects.filter(status=CommitmentStatus.OPEN, due_on__lt=today)
