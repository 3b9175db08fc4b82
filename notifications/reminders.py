"""The reminder rules: each turns a moment `now` into the messages due then (`Due`), read from the
other apps through their models and selectors. `reminders_sweep` claims them all and returns the
new rows' count; the sweep is safe to run as often as you like (every 5 minutes from beat)."""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import CharField, Exists, Max, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from conect.access import Role
from conect.ladder import Level
from members.models import User

from .models import Kind
from .services import Due, notifications_claim

Rule = Callable[[datetime.datetime], Iterable[Due]]
RULES: list[Rule] = []
LEADER_LEVELS = [Level.LEADER, Level.CORE_TEAM, Level.KEY_LEADER]


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def timing(name: str):
    """A reminder's timing: settings.CONECT[name] when set, else the default here."""
    defaults = {
        "NOTIFY_DAILY_HOUR": 7,  # daily reminders go out from 7:00 local time
        "FOLLOWUP_OVERDUE_DAYS": 3,
        "CADENCE_DAYS": 60,
        "DIGEST_WEEKDAY": 0,  # Monday
        "DIGEST_HOUR": 7,
        "ACTION_RSVP_DAYS": 2,
        "ACTION_PLEDGE_DAYS": (7, 2),
        "EVALUATION_LATE_HOURS": 48,
        "FORMAL_EVALUATION_DAYS": (7, 10),
        "COMMITMENT_NOTICE_DAYS": 7,
        "DUES_OVERDUE_STEPS": (30, 60, 90),
        # Old, forgotten items are not dug up by a first sweep after a deploy or a long outage.
        "LOOKBACK_DAYS": 30,
    }
    return getattr(settings, "CONECT", {}).get(name, defaults[name])


def local(now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now)


def already_claimed(kind: str, prefix: str, for_date, recipient: str) -> Exists:
    """EXISTS a claimed row for the outer row (its pk after `prefix`, its `recipient` user): lets
    a sweep skip, inside the database, what an earlier sweep already claimed."""
    from .models import Notification

    return Exists(
        Notification.objects.filter(
            kind=kind,
            subject_key=Concat(Value(prefix), Cast(OuterRef("pk"), CharField())),
            recipient_key=Concat(Value("user:"), Cast(OuterRef(recipient), CharField())),
            for_date=for_date,
        )
    )


@rule
def followups_due(now):
    """Follow-up due tomorrow, and again on the day, to its owner."""
    from relationships.models import FollowUp

    moment = local(now)
    if moment.hour < timing("NOTIFY_DAILY_HOUR"):
        return
    today = moment.date()
    tomorrow = today + datetime.timedelta(days=1)
    open_ = (
        FollowUp.objects.filter(
            done_at__isnull=True, due_on__in=[today, tomorrow], owner__is_active=True
        )
        .exclude(already_claimed(Kind.FOLLOWUP_DUE, "followup:", today, "owner_id"))
        .select_related("owner__person", "person")
    )
    for follow_up in open_.iterator(chunk_size=2000):
        yield Due(
            kind=Kind.FOLLOWUP_DUE,
            subject_key=f"followup:{follow_up.pk}",
            for_date=today,
            recipient_user=follow_up.owner,
            context={
                "follow_up": follow_up,
                "person": follow_up.person,
                "is_today": follow_up.due_on == today,
            },
            url=reverse("relationships:follow_up_list"),
        )


def organizers_of(owner, organizers_by_congregation: dict[int, list]) -> set:
    """The organizers assigned to the congregations the follow-up's owner works in."""
    if owner.role == Role.LEAD:
        congregation_ids = [c.pk for c in owner.congregations.all()]
    else:
        person = getattr(owner, "person", None)
        congregation_ids = (
            [m.congregation_id for m in person.memberships.all()] if person is not None else []
        )
    found = set()
    for congregation_id in congregation_ids:
        found.update(organizers_by_congregation.get(congregation_id, []))
    found.discard(owner)
    return found


@rule
def followups_overdue(now):
    """Follow-up still open N days after it was due: tell the owner's organizer(s)."""
    from relationships.models import FollowUp

    moment = local(now)
    if moment.hour < timing("NOTIFY_DAILY_HOUR"):
        return
    days = timing("FOLLOWUP_OVERDUE_DAYS")
    cutoff = moment.date() - datetime.timedelta(days=days)
    late = (
        FollowUp.objects.filter(done_at__isnull=True, due_on__lte=cutoff)
        .exclude(owner__role__in=[Role.ORGANIZER, Role.ADMIN])
        .select_related("owner__person", "person")
        .prefetch_related("owner__congregations", "owner__person__memberships")
    )
    organizers = User.objects.filter(role=Role.ORGANIZER, is_active=True, network_wide=False)
    by_congregation: dict[int, list] = {}
    for organizer in organizers.prefetch_related("congregations").select_related("person"):
        for congregation in organizer.congregations.all():
            by_congregation.setdefault(congregation.pk, []).append(organizer)
    for follow_up in late.iterator(chunk_size=2000):
        for organizer in organizers_of(follow_up.owner, by_congregation):
            yield Due(
                kind=Kind.FOLLOWUP_OVERDUE,
                subject_key=f"followup:{follow_up.pk}",
                # Once per follow-up: the day it crossed the line, whenever the sweep sees it.
                for_date=follow_up.due_on + datetime.timedelta(days=days),
                recipient_user=organizer,
                context={
                    "follow_up": follow_up,
                    "owner": follow_up.owner,
                    "person": follow_up.person,
                    "days": days,
                },
                url=follow_up.person.get_absolute_url(),
            )


def digest_monday(now) -> datetime.date | None:
    """The digest's date when `now` is on or after the digest hour of the digest weekday."""
    moment = local(now)
    if moment.weekday() != timing("DIGEST_WEEKDAY") or moment.hour < timing("DIGEST_HOUR"):
        return None
    return moment.date()


DIGEST_SECTIONS: list[Callable] = []


def digest_section(function):
    """A part of the weekly digest: (organizer, monday) -> dict of template context."""
    DIGEST_SECTIONS.append(function)
    return function


@digest_section
def digest_one_on_ones(organizer, monday):
    from relationships.models import OneOnOne

    last_week = (monday - datetime.timedelta(days=7), monday)
    held = OneOnOne.objects.filter(
        author=organizer, held_on__gte=last_week[0], held_on__lt=last_week[1]
    ).count()
    target = getattr(getattr(organizer, "weekly_target", None), "one_on_ones", None) or 10
    return {"one_on_ones": held, "target": target}


@digest_section
def digest_follow_ups(organizer, monday):
    from relationships.models import FollowUp

    week_end = monday + datetime.timedelta(days=6)
    due = FollowUp.objects.filter(owner=organizer, done_at__isnull=True, due_on__lte=week_end)
    return {
        "follow_ups_due": due.count(),
        "follow_ups_late": due.filter(due_on__lt=monday).count(),
    }


@digest_section
def digest_cadence(organizer, monday):
    """The organizer's leaders (people at leader level or above they have met) not met by them
    in CADENCE_DAYS: the one-on-one cadence."""
    from members.models import Person
    from relationships.models import OneOnOne

    cutoff = monday - datetime.timedelta(days=timing("CADENCE_DAYS"))
    last_met = (
        OneOnOne.objects.filter(author=organizer, person__level__in=LEADER_LEVELS)
        .values("person")
        .annotate(last=Max("held_on"))
        .filter(last__lt=cutoff)
        .order_by("last")
    )
    rows = list(last_met[:10])
    people = Person.objects.in_bulk([row["person"] for row in rows])
    cold = [(people[row["person"]], row["last"]) for row in rows if row["person"] in people]
    return {"going_cold": cold, "cadence_days": timing("CADENCE_DAYS")}


@rule
def weekly_digest(now):
    """Monday 7:00 local time: one digest per active organizer."""
    monday = digest_monday(now)
    if monday is None:
        return
    from .models import Notification

    # Build each digest once: organizers who already have this Monday's are skipped up front.
    done = Notification.objects.filter(
        kind=Kind.WEEKLY_DIGEST, for_date=monday, recipient_user__isnull=False
    ).values("recipient_user_id")
    organizers = (
        User.objects.filter(role=Role.ORGANIZER, is_active=True)
        .exclude(pk__in=done)
        .select_related("person")
    )
    for organizer in organizers.select_related("weekly_target"):
        context = {"organizer": organizer, "monday": monday}
        for section in DIGEST_SECTIONS:
            context.update(section(organizer, monday))
        yield Due(
            kind=Kind.WEEKLY_DIGEST,
            subject_key=f"digest:{monday.isoformat()}",
            for_date=monday,
            recipient_user=organizer,
            context=context,
            url=reverse("home"),
        )


def reminders_sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Claim every message due at `now`, rule by rule. Returns new rows per rule."""
    now = now or timezone.now()
    return {function.__name__: notifications_claim(function(now)) for function in RULES}


# The cycle's rules (actions, evaluations, commitments, dues) register themselves on import.
from . import reminders_cycle  # noqa: E402,F401
