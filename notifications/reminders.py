"""The reminder rules: each turns a moment `now` into the messages due then (`Due`), read from the
other apps through their models and selectors. `reminders_sweep` claims them all and returns the
new rows' count; the sweep is safe to run as often as you like (every 5 minutes from beat)."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import islice

from django.db.models import CharField, Exists, Max, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from conect.access import Role
from conect.config import conect_setting
from conect.ladder import LADDER, LEADER_LEVELS
from congregations.models import Membership
from members.models import Person, User
from relationships.models import FollowUp, OneOnOne
from relationships.selectors import weekly_target_of

from .models import Kind, Notification
from .services import (
    ANALYZE_AFTER,
    Due,
    Recipient,
    notifications_analyze,
    notifications_claim,
)

Rule = Callable[[datetime.datetime], Iterable[Due]]
CHUNK = 5000  # rows a large rule reads at a time
RULES: list[Rule] = []


# Rules whose own query leaves out what was already claimed: the claim does not look again.
EXCLUDES_CLAIMED: set[Rule] = set()


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def excludes_claimed(function: Rule) -> Rule:
    EXCLUDES_CLAIMED.add(function)
    return function


def local(now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now)


def daily_reminder_day(now: datetime.datetime) -> datetime.date | None:
    """The local date when `now` is on or after the daily send hour (daily reminders go out from
    CONECT["NOTIFY_DAILY_HOUR"]), else None: a daily rule has nothing to say before then."""
    moment = local(now)
    if moment.hour < conect_setting("NOTIFY_DAILY_HOUR"):
        return None
    return moment.date()


def already_claimed(kind: str, prefix: str, for_date, recipient: str) -> Exists:
    """EXISTS a claimed row for the outer row (its pk after `prefix`, its `recipient` user): lets
    a sweep skip, inside the database, what an earlier sweep already claimed."""
    return Exists(
        Notification.objects.filter(
            kind=kind,
            subject_key=Concat(Value(prefix), Cast(OuterRef("pk"), CharField())),
            recipient_key=Concat(Value("user:"), Cast(OuterRef(recipient), CharField())),
            for_date=for_date,
        )
    )


@rule
@excludes_claimed
def followups_due(now):
    """Follow-up due tomorrow, and again on the day, to its owner. Read as plain values and
    rendered once per language and shape (`render_filled`): 100,000 due at once are claimed in
    seconds (bench/README.md)."""
    today = daily_reminder_day(now)
    if today is None:
        return
    tomorrow = today + datetime.timedelta(days=1)
    due = FollowUp.objects.filter(done_at__isnull=True, due_on__in=[today, tomorrow])
    # The owners first, once each (a few hundred for 100,000 follow-ups): the follow-ups' query
    # then joins only the person they are about.
    owners = {
        pk: Recipient(
            user_id=pk,
            person_id=None,
            email=email,
            language="en" if language is None else language,  # a login without a person
            do_not_contact=bool(do_not_contact),
        )
        for pk, email, language, do_not_contact in User.objects.filter(
            is_active=True, pk__in=due.values("owner_id")
        ).values_list("pk", "email", "person__language", "person__do_not_contact")
    }
    if not owners:
        return
    open_ = (
        due.filter(owner_id__in=list(owners))
        .exclude(already_claimed(Kind.FOLLOWUP_DUE, "followup:", today, "owner_id"))
        .order_by()  # in any order: no sort of 100,000 rows
        .values_list("pk", "due_on", "note", "owner_id", "person_id")
    )
    url = reverse("relationships:follow_up_list")
    rows = open_.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        # The people's names for the follow-ups still unclaimed only: joined in the query, the
        # planner looked up all 100,000 before a second sweep's anti-join dropped every one.
        people = {
            pk: (f"{first} {last}".strip(), do_not_contact)  # Person.full_name
            for pk, first, last, do_not_contact in Person.objects.filter(
                pk__in={row[4] for row in chunk}
            ).values_list("pk", "first_name", "last_name", "do_not_contact")
        }
        for pk, due_on, note, owner_id, person_id in chunk:
            name, do_not_contact = people[person_id]
            yield Due(
                kind=Kind.FOLLOWUP_DUE,
                subject_key=f"followup:{pk}",
                for_date=today,
                recipient=owners[owner_id],
                context={
                    "is_today": due_on == today,
                    "due_on": due_on,
                    "do_not_contact": do_not_contact,
                },
                fill={"name": name, "note": note},
                url=url,
            )


def organizers_of(owner, congregation_ids, organizers_by_congregation: dict[int, list]) -> set:
    """The organizers assigned to the congregations the follow-up's owner works in."""
    found = set()
    for congregation_id in congregation_ids:
        found.update(organizers_by_congregation.get(congregation_id, []))
    found.discard(owner)
    return found


def _congregations_of(owners: dict[int, User]) -> dict[int, set[int]]:
    """{owner id: the congregations they work in}: a lead's assigned ones, anyone else's
    memberships through their person. Three queries by key for all of them."""
    found: dict[int, set[int]] = defaultdict(set)
    leads = [pk for pk, owner in owners.items() if owner.role == Role.LEAD]
    assigned = User.congregations.through.objects.filter(user_id__in=leads).order_by()
    for user_id, congregation_id in assigned.values_list("user_id", "congregation_id"):
        found[user_id].add(congregation_id)
    others = [pk for pk, owner in owners.items() if owner.role not in (Role.LEAD, Role.ORGANIZER)]
    persons = Person.objects.filter(user_id__in=others).order_by()
    person_of = dict(persons.values_list("pk", "user_id"))
    memberships = Membership.objects.filter(person_id__in=list(person_of)).order_by()
    for person_id, congregation_id in memberships.values_list("person_id", "congregation_id"):
        found[person_of[person_id]].add(congregation_id)
    return found


def _escalation_recipients() -> tuple[dict[int, list], list]:
    """({congregation id: its organizers}, the admins): who hears about overdue follow-ups.
    Network-wide organizers are not sent every congregation's; each congregation's own are."""
    organizers = User.objects.filter(role=Role.ORGANIZER, is_active=True, network_wide=False)
    by_congregation: dict[int, list] = {}
    for organizer in organizers.prefetch_related("congregations").select_related("person"):
        for congregation in organizer.congregations.all():
            by_congregation.setdefault(congregation.pk, []).append(organizer)
    admins = list(User.objects.filter(role=Role.ADMIN, is_active=True).select_related("person"))
    return by_congregation, admins


@rule
def followups_overdue(now):
    """Follow-ups still open N days after they were due, escalated in one message per recipient
    per day: it names each follow-up that went overdue since that recipient's last such message
    (so each is named once, and a first sweep looks back LOOKBACK_DAYS at most). A lead's or a
    leader's go to the organizers of the owner's congregations; an organizer's own to the
    admins."""
    today = daily_reminder_day(now)
    if today is None:
        return
    days = conect_setting("FOLLOWUP_OVERDUE_DAYS")
    overdue_for = datetime.timedelta(days=days)
    lookback = today - datetime.timedelta(days=conect_setting("LOOKBACK_DAYS"))
    # The late follow-ups first, then their owners and people by key: joined in one query, the
    # planner expected 30,000 late follow-ups (there were 6,000 at 1,000,000 people) and
    # hash-joined them to every person; and a prefetch per owner instance cost seconds.
    late = list(
        FollowUp.objects.filter(
            done_at__isnull=True, due_on__lte=today - overdue_for, due_on__gt=lookback - overdue_for
        )
        .exclude(owner__role=Role.ADMIN)
        .order_by("due_on", "id")
    )
    owners = User.objects.order_by().in_bulk({f.owner_id for f in late})  # no sort: a dict
    people = Person.objects.order_by().in_bulk({f.person_id for f in late})
    congregations = _congregations_of(owners)
    by_congregation, admins = _escalation_recipients()
    last_sent = dict(
        Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE, recipient_user__isnull=False)
        .values("recipient_user")
        .annotate(last=Max("for_date"))
        .values_list("recipient_user", "last")
    )
    grouped: dict[int, tuple[User, list]] = {}
    for follow_up in late:
        follow_up.owner, follow_up.person = owners[follow_up.owner_id], people[follow_up.person_id]
        crossed, owner = follow_up.due_on + overdue_for, follow_up.owner
        if owner.role == Role.ORGANIZER:
            recipients = admins
        else:
            recipients = list(organizers_of(owner, congregations[owner.pk], by_congregation))
        for recipient in recipients:
            since = max(last_sent.get(recipient.pk, lookback), lookback)
            if recipient == owner or crossed <= since:
                continue  # named in an earlier message (or too old to dig up)
            grouped.setdefault(recipient.pk, (recipient, []))[1].append(follow_up)
    site = str(conect_setting("SITE_URL")).rstrip("/")
    for recipient, follow_ups in grouped.values():
        yield Due(
            kind=Kind.FOLLOWUP_OVERDUE,
            subject_key="followups-overdue",
            for_date=today,  # one message a day at most
            recipient_user=recipient,
            context={"follow_ups": follow_ups, "days": days, "site": site},
            url=reverse("relationships:follow_up_list"),
        )


def digest_monday(now) -> datetime.date | None:
    """The digest's date when `now` is on or after the digest hour of the digest weekday."""
    moment = local(now)
    weekday, hour = conect_setting("DIGEST_WEEKDAY"), conect_setting("DIGEST_HOUR")
    if moment.weekday() != weekday or moment.hour < hour:
        return None
    return moment.date()


DIGEST_SECTIONS: list[Callable] = []


def digest_section(function):
    """A part of the weekly digest: (organizer, monday) -> dict of template context."""
    DIGEST_SECTIONS.append(function)
    return function


@digest_section
def digest_one_on_ones(organizer, monday):
    last_week = (monday - datetime.timedelta(days=7), monday)
    held = OneOnOne.objects.filter(
        author=organizer, held_on__gte=last_week[0], held_on__lt=last_week[1]
    ).count()
    return {"one_on_ones": held, "target": weekly_target_of(organizer)}


@digest_section
def digest_follow_ups(organizer, monday):
    week_end = monday + datetime.timedelta(days=6)
    due = FollowUp.objects.filter(owner=organizer, done_at__isnull=True, due_on__lte=week_end)
    return {
        "follow_ups_due": due.count(),
        "follow_ups_late": due.filter(due_on__lt=monday).count(),
    }


DIGEST_LIST_LENGTH = {"going_cold": 10, "pledge_gaps": 15}


@digest_section
def digest_cadence(organizer, monday):
    """The organizer's leaders (people at leader level or above they have met) not met by them
    in CADENCE_DAYS: the one-on-one cadence. Who matters most comes first: the highest on the
    ladder, then the longest since they met."""
    cadence_days = conect_setting("CADENCE_DAYS")
    cutoff = monday - datetime.timedelta(days=cadence_days)
    last_met = (
        OneOnOne.objects.filter(
            author=organizer, person__level__in=LEADER_LEVELS, person__archived_at__isnull=True
        )
        .values("person", "person__level")
        .annotate(last=Max("held_on"))
        .filter(last__lt=cutoff)
        .order_by()
    )
    rows = sorted(last_met, key=lambda row: (-LADDER.index(row["person__level"]), row["last"]))
    shown = rows[: DIGEST_LIST_LENGTH["going_cold"]]
    people = Person.objects.in_bulk([row["person"] for row in shown])
    cold = [(people[row["person"]], row["last"]) for row in shown if row["person"] in people]
    return {
        "going_cold": cold,
        "going_cold_more": len(rows) - len(shown),
        "cadence_days": cadence_days,
    }


@rule
def weekly_digest(now):
    """Monday 7:00 local time: one digest per active organizer."""
    monday = digest_monday(now)
    if monday is None:
        return
    # Build each digest once: organizers who already have this Monday's are skipped up front.
    done = Notification.objects.filter(
        kind=Kind.WEEKLY_DIGEST, for_date=monday, recipient_user__isnull=False
    ).values("recipient_user_id")
    organizers = (
        User.objects.filter(role=Role.ORGANIZER, is_active=True)
        .exclude(pk__in=done)
        .select_related("person", "weekly_target")  # weekly_target_of reads it: no query
    )
    # Every item of the digest carries a link: absolute, since it is read in a mail program.
    site = str(conect_setting("SITE_URL")).rstrip("/")
    for organizer in organizers:
        context = {"organizer": organizer, "monday": monday, "site": site}
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
    claimed = {
        function.__name__: notifications_claim(
            function(now), check_claimed=function not in EXCLUDES_CLAIMED
        )
        for function in RULES
    }
    if sum(claimed.values()) >= ANALYZE_AFTER:
        notifications_analyze()
    return claimed


# The cycle's rules (actions, evaluations, commitments, dues) and the leaders' own commitments
# (issue 14) register themselves on import.
from . import reminders_accountability, reminders_cycle  # noqa: E402,F401
