"""Reads of relational meetings, already scoped to the user asking.

Every queryset of meetings a view or task gets comes from here. Meetings are annotated with
`visible_notes` (the notes, or "" when the privacy rule says no) and the raw `notes` column is
deferred, so templates, exports and the map show `visible_notes` only.
"""

import datetime
from collections import Counter

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from conect import access
from conect.config import conect_setting
from conect.ladder import LEADER_LEVELS
from congregations.models import Membership, MembershipRole
from congregations.selectors import core_team_congregation_ids
from members.models import Person, User
from members.selectors import people_visible_to

from .models import (
    RISING_LEVELS,
    CongregationDay,
    FollowUp,
    HouseMeeting,
    IssueHeard,
    OneOnOne,
    WeeklyTarget,
)

RISING_MIN_MEETINGS = 3


def notes_readable_q(user, *, author_field: str = "author") -> Q:
    """The privacy rule, as a filter: which meetings' notes `user` may read."""
    if not access.signed_in(user):
        return Q(pk__in=[])
    if access.is_admin(user):
        return Q(pk__isnull=False)  # every row (an empty Q() cannot be a When condition)
    return Q(**{author_field: user}) | Q(
        notes_shared_with_core_team=True, congregation_id__in=core_team_congregation_ids(user)
    )


def _with_private_notes(meetings: QuerySet, user, *, author_field: str) -> QuerySet:
    readable = notes_readable_q(user, author_field=author_field)
    return meetings.defer("notes").annotate(
        notes_readable=Case(When(readable, then=Value(True)), default=Value(False)),
        visible_notes=Case(
            When(readable, then=F("notes")), default=Value(""), output_field=CharField()
        ),
    )


def _meeting_scope(user, *, author_field: str) -> Q | None:
    """None means every meeting; otherwise the meetings of `user`'s congregations and their own."""
    if access.sees_whole_network(user):
        return None
    if not access.signed_in(user):
        return Q(pk__in=[])
    own = Q(**{author_field: user})
    if access.is_staff_or_lead(user):  # an organizer or a lead (admins see the whole network)
        return own | Q(congregation_id__in=access.visible_congregation_ids(user))
    return own  # a leader: their own meetings only


def one_on_ones_visible_to(user) -> QuerySet[OneOnOne]:
    """One-on-ones `user` may know happened, with notes only where the privacy rule allows."""
    scope = _meeting_scope(user, author_field="author")
    meetings = OneOnOne.objects.all() if scope is None else OneOnOne.objects.filter(scope)
    meetings = meetings.select_related("author", "person", "congregation")
    return _with_private_notes(meetings, user, author_field="author")


def house_meetings_visible_to(user) -> QuerySet[HouseMeeting]:
    scope = _meeting_scope(user, author_field="facilitator")
    meetings = HouseMeeting.objects.all() if scope is None else HouseMeeting.objects.filter(scope)
    meetings = meetings.select_related("facilitator", "congregation")
    return _with_private_notes(meetings, user, author_field="facilitator")


def met_by_q(user) -> Q:
    """People `user` has met (one-on-ones held, house meetings facilitated), as a filter on
    Person: a leader sees these people (given to conect.access in RelationshipsConfig.ready).
    The ids are read first, in one query: OR-ed with the leader's own row, an EXISTS per person
    made PostgreSQL scan every person (10 s at a million)."""
    held = OneOnOne.objects.filter(author=user).values_list("person_id", flat=True)
    hosted = HouseMeeting.attendees.through.objects.filter(
        housemeeting__facilitator=user
    ).values_list("person_id", flat=True)
    return Q(pk__in=set(held.order_by().union(hosted.order_by())))


def met_since_q(day: datetime.date) -> Q:
    """People someone met in a one-on-one on or after `day`, as a filter on Person."""
    return Q(Exists(OneOnOne.objects.filter(person=OuterRef("pk"), held_on__gte=day)))


def follow_ups_of(user) -> QuerySet[FollowUp]:
    """The follow-ups `user` owes (done or not), with the person."""
    if not access.signed_in(user):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(owner=user).select_related("person")


def local_today() -> datetime.date:
    """Today in America/New_York (settings.TIME_ZONE): due dates are local calendar dates."""
    return timezone.localdate()


def follow_ups_open(user, *, until: datetime.date | None = None) -> QuerySet[FollowUp]:
    follow_ups = follow_ups_of(user).filter(done_at__isnull=True)
    if until is not None:
        follow_ups = follow_ups.filter(due_on__lte=until)
    return follow_ups.order_by("due_on", "id")


def leaders_follow_ups(user) -> QuerySet[FollowUp]:
    """Open follow-ups owed by the leaders (users with the leader role) of the congregations a
    lead or organizer sees: the lead keeps an eye on them and may reschedule or reassign them."""
    if not access.is_staff_or_lead(user):
        return FollowUp.objects.none()
    follow_ups = FollowUp.objects.filter(
        done_at__isnull=True, owner__role=access.Role.LEADER, owner__is_active=True
    )
    ids = access.visible_congregation_ids(user)
    if ids is not None:
        theirs = Membership.objects.filter(
            person__user=OuterRef("owner_id"), congregation_id__in=ids
        )
        follow_ups = follow_ups.filter(Exists(theirs))
    return follow_ups.select_related("person", "owner").order_by("due_on", "id")


def follow_ups_changeable_by(user) -> QuerySet[FollowUp]:
    """Follow-ups `user` may reschedule or reassign: their own, and their leaders' open ones."""
    own = follow_ups_of(user).values("pk")
    theirs = leaders_follow_ups(user).values("pk")
    return FollowUp.objects.filter(Q(pk__in=own) | Q(pk__in=theirs)).select_related(
        "person", "owner"
    )


def default_congregation_id(user, congregations: QuerySet) -> int | None:
    """The congregation a new person met by `user` most likely belongs to: the user's own
    primary congregation when they may add people there, else the congregation of their latest
    one-on-one, else their only congregation; None when there is no good guess."""
    allowed = congregations.values("pk")
    own = (
        Membership.objects.filter(person__user=user, congregation__in=allowed)
        .order_by("-is_primary", "id")
        .values_list("congregation_id", flat=True)
        .first()
    )
    if own is not None:
        return own
    latest = (
        OneOnOne.objects.filter(author=user, congregation__in=allowed)
        .order_by("-held_on", "-id")
        .values_list("congregation_id", flat=True)
        .first()
    )
    if latest is not None:
        return latest
    only = list(congregations.values_list("pk", flat=True)[:2])
    return only[0] if len(only) == 1 else None


def follow_up_owners_for(person: Person) -> list:
    """Active users whose scope includes `person` (a follow-up with them may go to any of
    them): the organizers and leads of their congregations, the leaders who met them, and those
    who see the whole network — each checked against `people_visible_to`."""
    congregation_ids = Membership.objects.filter(person=person).values("congregation_id")
    candidates = (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=access.Role.ADMIN)
            | Q(role=access.Role.ORGANIZER, network_wide=True)
            | Q(
                role__in=[access.Role.ORGANIZER, access.Role.LEAD],
                congregations__in=congregation_ids,
            )
            | Q(role=access.Role.LEADER, one_on_ones__person=person)
            | Q(role=access.Role.LEADER, person=person)
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )
    return [u for u in candidates[:200] if people_visible_to(u).filter(pk=person.pk).exists()]


def follow_up_buckets(follow_ups, today: datetime.date) -> dict[str, list]:
    """Split open follow-ups into overdue / today / this week (next 7 days) / later."""
    buckets: dict[str, list] = {"overdue": [], "today": [], "week": [], "later": []}
    week_end = today + datetime.timedelta(days=7)
    for follow_up in follow_ups:
        follow_up.days_late = (today - follow_up.due_on).days
        if follow_up.due_on < today:
            buckets["overdue"].append(follow_up)
        elif follow_up.due_on == today:
            buckets["today"].append(follow_up)
        elif follow_up.due_on <= week_end:
            buckets["week"].append(follow_up)
        else:
            buckets["later"].append(follow_up)
    return buckets


def week_start(day: datetime.date) -> datetime.date:
    """Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


def _weeks_from(today: datetime.date, weeks: int) -> datetime.date:
    return week_start(today) - datetime.timedelta(weeks=weeks - 1)


def _by_week(per_day, first: datetime.date, weeks: int) -> list[int]:
    counts = [0] * weeks
    for held_on, n in per_day:
        counts[(held_on - first).days // 7] += n
    return counts


def weekly_counts(meetings: QuerySet, today: datetime.date, weeks: int = 12) -> list[int]:
    """One-on-ones per week for the last `weeks` weeks (this week last): one query."""
    first = _weeks_from(today, weeks)
    rows = (
        meetings.filter(held_on__gte=first, held_on__lte=today)
        .order_by()
        .values_list("held_on")
        .annotate(n=Count("id"))
    )
    return _by_week(rows, first, weeks)


def _tallied_congregations(user) -> frozenset[int] | None:
    """The congregations all of whose one-on-ones `one_on_ones_visible_to(user)` returns, so
    that their day tallies count for the user: every one (None) for the whole network, a
    staff member's or lead's own, none for a leader. Elsewhere only the user's own meetings
    count."""
    if access.sees_whole_network(user):
        return None
    if access.is_staff_or_lead(user):
        return access.visible_congregation_ids(user) or frozenset()
    return frozenset()


def one_on_ones_per_day(
    user, since: datetime.date, until: datetime.date | None = None
) -> dict[datetime.date, int]:
    """{day: one-on-ones held that day} of the meetings `one_on_ones_visible_to(user)` returns,
    from `since` (to `until`): the congregations' days from their tallies
    (relationships.tallies), the user's own meetings outside their congregations (and, for the
    whole network, meetings without a congregation) counted from the meetings. One query."""
    if not access.signed_in(user):
        return {}
    days = CongregationDay.objects.filter(day__gte=since)
    meetings = OneOnOne.objects.filter(held_on__gte=since)
    if until is not None:
        days, meetings = days.filter(day__lte=until), meetings.filter(held_on__lte=until)
    tallied = _tallied_congregations(user)
    if tallied is None:
        rest = meetings.filter(congregation__isnull=True)
    else:
        days = days.filter(congregation_id__in=tallied)
        rest = meetings.filter(author=user).exclude(congregation_id__in=tallied)  # NULL stays
    per_day = days.order_by().values_list("day").annotate(n=Sum("one_on_ones"))
    counted = rest.order_by().values_list("held_on").annotate(n=Count("id"))
    counts: Counter = Counter()
    for day, n in per_day.union(counted, all=True):  # one query
        counts[day] += n
    return dict(counts)


def weekly_counts_in_scope(user, today: datetime.date, weeks: int = 12) -> list[int]:
    """`weekly_counts` of every one-on-one `user` may see (a lead's congregation week), read from
    the day tallies instead of every meeting held with the congregation's people."""
    first = _weeks_from(today, weeks)
    return _by_week(one_on_ones_per_day(user, first, today).items(), first, weeks)


def weekly_target_of(user) -> int:
    """The user's own weekly one-on-one target, else their role's default (conect/config.py).
    No query when the caller loaded `weekly_target` with select_related."""
    try:
        own = user.weekly_target.one_on_ones
    except WeeklyTarget.DoesNotExist:
        own = None
    defaults = conect_setting("WEEKLY_TARGET")
    return own or defaults.get(user.role, defaults["organizer"])


def issues_offered() -> QuerySet[IssueHeard]:
    return IssueHeard.objects.filter(is_active=True).order_by("name")


def _is_core_team() -> Exists:
    return Exists(Membership.objects.filter(person=OuterRef("pk"), role=MembershipRole.CORE_TEAM))


def going_cold(people: QuerySet[Person], today: datetime.date, days: int) -> QuerySet[Person]:
    """Leaders and core team (of `people`) who were met once but not in the last `days` days,
    the most recently cooled first (the relationships still easiest to warm up). Reads the
    contact tallies (relationships.tallies), not every meeting."""
    cutoff = today - datetime.timedelta(days=days)
    return (
        people.filter(Q(level__in=LEADER_LEVELS) | _is_core_team())
        .filter(contact__last_met_on__lt=cutoff)
        .annotate(last_met=F("contact__last_met_on"))
        .order_by("-last_met", "id")
    )


def rising(people: QuerySet[Person]) -> QuerySet[Person]:
    """People met several times, marked high potential at least once, still low on the ladder
    (from the contact tallies)."""
    return (
        people.filter(
            level__in=RISING_LEVELS,
            contact__level__in=RISING_LEVELS,  # the copy: the index holds only these rows
            contact__high_potential__gte=1,
            contact__meetings__gte=RISING_MIN_MEETINGS,
        )
        .annotate(
            meetings=F("contact__meetings"),
            high=F("contact__high_potential"),
            last_met=F("contact__last_met_on"),
        )
        .order_by("-meetings", "-last_met", "id")
    )


def person_practice(person: Person) -> dict[str, int]:
    """What a person's relational practice shows: one-on-ones held and had, house meetings hosted
    and attended (the actions they came to are counted by the actions app)."""
    return {
        "held": OneOnOne.objects.filter(author_person=person).count(),
        "had": OneOnOne.objects.filter(person=person).count(),
        "hosted": HouseMeeting.objects.filter(facilitator__person=person).count()
        if person.user_id
        else 0,
        "attended": HouseMeeting.attendees.through.objects.filter(person=person).count(),
    }


def people_without_one_on_one_since(people: QuerySet[Person], since) -> QuerySet[Person]:
    """Of `people`, those nobody has met in a one-on-one on or after `since` ("return to
    relationships" after an action: they become follow-ups for their congregation's lead)."""
    recent = OneOnOne.objects.filter(person=OuterRef("pk"), held_on__gte=since)
    return people.exclude(Exists(recent))


def one_on_ones_by_congregation(user, congregation_ids, *, days: int = 30) -> dict[int, int]:
    """{congregation id: one-on-ones in the last `days` days} the user may see (the congregations
    list's activity column, offered to congregations.activity in ready()): the congregations the
    user sees from their day tallies; in the others, only the user's own meetings count (the
    scope of `one_on_ones_visible_to`), counted from the meetings. One or two queries."""
    if not access.signed_in(user):
        return {}
    since = local_today() - datetime.timedelta(days=days)
    wanted = set(congregation_ids)
    whole = _tallied_congregations(user)
    tallied = wanted if whole is None else wanted & whole
    own = wanted - tallied
    counts: Counter = Counter()
    if tallied:
        counts.update(
            dict(
                CongregationDay.objects.filter(congregation_id__in=tallied, day__gte=since)
                .order_by()
                .values_list("congregation_id")
                .annotate(n=Sum("one_on_ones"))
            )
        )
    if own:
        counts.update(
            dict(
                OneOnOne.objects.filter(author=user, congregation_id__in=own, held_on__gte=since)
                .order_by()
                .values_list("congregation_id")
                .annotate(n=Count("id"))
            )
        )
    return dict(counts)
