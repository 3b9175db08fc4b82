"""Leaders' own commitments (issue 14): the reminders to the leader before the due date, and the
weekly digest's lines about them. Registered into notifications.reminders by importing this
module (reminders does)."""

import datetime

from django.db.models import Count, Q

from accountability.models import CommitmentStatus, LeaderCommitment
from accountability.selectors import commitments_visible_to, with_progress
from conect.config import conect_setting

from .models import Kind
from .reminders import daily_reminder_day, digest_section, rule
from .services import Due

DIGEST_BROKEN_LISTED = 10


def reminder_step(due_on: datetime.date, today: datetime.date, steps) -> int | None:
    """Which reminder (days before) is due today: the 7-day one from 7 days before until the
    1-day one takes over, and so on; None on or after the due date or before the first step."""
    left = (due_on - today).days
    if left <= 0:
        return None
    found = [step for step in sorted(steps) if step >= left]
    return found[0] if found else None


@rule
def leader_commitments(now):
    """To the leader, 7 days and 1 day before their open commitment is due, with how far the data
    says they are. Once per step (the claim's key names it); none for a step whose day came
    before the commitment was made."""
    today = daily_reminder_day(now)
    if today is None:
        return
    steps = conect_setting("LEADER_COMMITMENT_REMINDER_DAYS")
    horizon = today + datetime.timedelta(days=max(steps))
    open_ = with_progress(
        LeaderCommitment.objects.filter(
            status=CommitmentStatus.OPEN,
            due_on__gt=today,
            due_on__lte=horizon,
            person__user__is_active=True,
        )
    ).select_related("person__user", "action")
    for commitment in open_.iterator(chunk_size=2000):
        step = reminder_step(commitment.due_on, today, steps)
        if step is None:
            continue
        for_date = commitment.due_on - datetime.timedelta(days=step)
        if for_date <= commitment.made_on:
            continue  # made on or after this step's day: it is fresh in their mind
        yield Due(
            kind=Kind.LEADER_COMMITMENT_DUE,
            subject_key=f"leader-commitment:{commitment.pk}:{step}d",
            for_date=for_date,
            recipient_user=commitment.person.user,
            context={
                "commitment": commitment,
                "days": (commitment.due_on - today).days,
                "progress": commitment.progress,
            },
            url=commitment.person.get_absolute_url(),
        )


@digest_section
def digest_leader_commitments(organizer, monday):
    """The organizer's leaders' commitments: last week's kept and broken (the broken named),
    and how many fall due this week."""
    mine = commitments_visible_to(organizer)
    last_week = Q(due_on__gte=monday - datetime.timedelta(days=7), due_on__lt=monday)
    this_week = Q(due_on__gte=monday, due_on__lte=monday + datetime.timedelta(days=6))
    counts = mine.aggregate(
        kept=Count("pk", filter=last_week & Q(status=CommitmentStatus.KEPT)),
        broken=Count("pk", filter=last_week & Q(status=CommitmentStatus.BROKEN)),
        due=Count("pk", filter=this_week & Q(status=CommitmentStatus.OPEN)),
    )
    broken = list(
        mine.filter(last_week, status=CommitmentStatus.BROKEN).order_by("due_on", "id")[
            :DIGEST_BROKEN_LISTED
        ]
    )
    return {
        "leader_commitments_kept": counts["kept"],
        "leader_commitments_broken": counts["broken"],
        "leader_commitments_due": counts["due"],
        "leader_commitments_broken_list": broken,
    }
