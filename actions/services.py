"""Writes for actions: scheduling, pledges, invitations and RSVPs, door check-in, evaluation,
the return to relationships, and calendar subscription addresses."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from conect.access import Role
from conect.config import conect_setting
from conect.dispatch import dispatch
from congregations.selectors import leads_of, primary_congregation_ids
from members.models import AuditEvent, Person, User
from members.services import audit_log, person_create
from relationships.selectors import people_without_one_on_one_since
from relationships.services import followup_create

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
from .signals import attendance_changed

log = logging.getLogger(__name__)
FOLLOW_UP_AFTER_DAYS = 7
NO_ONE_ON_ONE_FOR_DAYS = 365


@transaction.atomic
def action_create(
    *,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    by,
    campaign=None,
    congregations=(),
    turnout_goal: int = 0,
    agenda: str = "",
) -> Action:
    """Schedule an action for `by` (recorded as its creator). Calendar conflicts are warnings
    shown by the form, never a block."""
    if ends_at < starts_at:
        raise ValidationError(_("An action cannot end before it starts."))
    action = Action.objects.create(
        kind=kind,
        title=title.strip(),
        campaign=campaign,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        turnout_goal=turnout_goal,
        agenda=agenda,
        created_by=by,
    )
    action.congregations.set(congregations)
    return action


@transaction.atomic
def action_update(*, action: Action, congregations=None, **fields) -> Action:
    """Change an action's details (reschedule, move, retitle); warnings as for action_create."""
    starts, ends = fields.get("starts_at", action.starts_at), fields.get("ends_at", action.ends_at)
    if ends < starts:
        raise ValidationError(_("An action cannot end before it starts."))
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    if congregations is not None:
        action.congregations.set(congregations)
    return action


def pledge_set(*, action: Action, congregation, pledged: int, by) -> TurnoutPledge:
    """Set a congregation's turnout pledge for an action: one row per action × congregation,
    however many times (or how concurrently) the form is submitted; the last number wins."""
    defaults = {"pledged": pledged, "pledged_by": by, "updated_at": timezone.now()}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                pledge, _created = TurnoutPledge.objects.update_or_create(
                    action=action, congregation=congregation, defaults=defaults
                )
                return pledge
        except IntegrityError:  # a concurrent twin inserted first: update theirs
            continue
    raise IntegrityError("could not record the pledge")


@transaction.atomic
def attendance_invite(*, action: Action, people, congregation, by) -> int:
    """`by` invites people (already scoped by the caller) to an action on behalf of
    `congregation`: it is credited with their RSVPs and turnout, even when it is not their home
    congregation. Re-inviting changes nothing (the first invitation, and its congregation,
    stay). Returns how many were newly invited."""
    ids = list(people.values_list("pk", flat=True)) if hasattr(people, "values_list") else people
    before = Attendance.objects.filter(action=action).count()
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(
                action=action,
                person_id=pk,
                congregation_id=congregation.pk,
                rsvp=Rsvp.INVITED,
                invited_at=now,
                invited_by=by,
            )
            for pk in ids
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return Attendance.objects.filter(action=action).count() - before


@transaction.atomic
def attendance_rsvp(*, action: Action, person: Person, rsvp: str) -> Attendance:
    home = primary_congregation_ids([person.pk]).get(person.pk)
    attendance, _created = Attendance.objects.get_or_create(
        action=action, person=person, defaults={"congregation_id": home, "rsvp": rsvp}
    )
    if attendance.rsvp != rsvp:
        attendance.rsvp = rsvp
        attendance.save(update_fields=["rsvp"])
    return attendance


def door_moment(moment: datetime.datetime) -> str:
    """A check-in window's edge as the door page and its refusals say it (local time)."""
    return formats.date_format(timezone.localtime(moment), "D N j, g:i A")


def door_check(action: Action, now: datetime.datetime | None = None) -> None:
    """Refuse a door check-in outside the action's window, saying when it opens or that it
    closed (CONECT["CHECK_IN_OPENS_MINUTES_BEFORE"] and ["CHECK_IN_CLOSES_HOURS_AFTER"])."""
    state = action.door_state(now)
    if state == "early":
        when = door_moment(action.check_in_opens_at)
        raise ValidationError(_("Check-in opens %(when)s.") % {"when": when})
    if state == "closed":
        when = door_moment(action.check_in_closes_at)
        raise ValidationError(
            _("Check-in closed %(when)s: record attendance after the fact.") % {"when": when}
        )


def attendance_check_in(
    *, action: Action, person: Person, by, congregation_id: int | None = None, rsvp: str = ""
) -> tuple[Attendance, bool]:
    """Check a person in at the door, while the action happens (`door_check`; ValidationError
    outside the window). Returns (attendance, checked_in_now).

    Safe when two phones tap the same person at once: the row is claimed with
    INSERT … ON CONFLICT DO NOTHING on the (action, person) unique constraint, then stamped with an
    UPDATE … WHERE checked_in_at IS NULL, which only one of the two can win. The first check-in
    time is kept; the second tap changes nothing.
    """
    door_check(action)
    if congregation_id is None:
        congregation_id = primary_congregation_ids([person.pk]).get(person.pk)
    now = timezone.now()
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(
                    action=action,
                    person=person,
                    congregation_id=congregation_id,
                    rsvp=rsvp or Rsvp.WALK_IN,
                )
            ],
            ignore_conflicts=True,
        )
        stamped = Attendance.objects.filter(
            action=action, person=person, checked_in_at__isnull=True
        ).update(
            checked_in_at=now,
            checked_in_by=by,
            congregation=Coalesce(F("congregation"), congregation_id),
        )
    attendance = Attendance.objects.get(action=action, person=person)
    if stamped:
        attendance_changed.send(sender=Attendance, attendance_ids=[attendance.pk])
    return attendance, bool(stamped)


@transaction.atomic
def attendance_walk_in(
    *,
    action: Action,
    first_name: str,
    last_name: str,
    congregation,
    by,
    email: str = "",
    phone: str = "",
) -> tuple[Attendance, Person]:
    """Someone not in the directory arrives: add them to their congregation (through the
    directory's own service, so they get a ladder row and an audit entry) and check them in.
    Outside the door's window nobody is added (ValidationError)."""
    door_check(action)
    draft = Person(
        first_name=first_name.strip(), last_name=last_name.strip(), email=email, phone=phone
    )
    draft.full_clean(exclude=["user"])
    person = person_create(
        by=by,
        congregation=congregation,
        first_name=draft.first_name,
        last_name=draft.last_name,
        email=email,
        phone=phone,
    )
    attendance, _now = attendance_check_in(
        action=action, person=person, by=by, congregation_id=congregation.pk, rsvp=Rsvp.WALK_IN
    )
    return attendance, person


@transaction.atomic
def attendance_record_after(*, action: Action, people, by, note: str) -> int:
    """A lead or organizer records, after the action ended, that `people` (already scoped by the
    caller) came: a sign-in sheet, a head count by name. Each newly recorded attendance counts as
    turnout like a door check-in, is marked `recorded_after`, and gets an audit row with `note`
    (how they know). People already checked in are left as they were. Returns how many were
    recorded now."""
    if not action.has_ended:
        raise ValidationError(_("This action has not ended yet: use door check-in."))
    note = note.strip()
    if not note:
        raise ValidationError(_("Say how you know they came (a sign-in sheet, a photo…)."))
    ids = [person.pk for person in people]
    homes = primary_congregation_ids(ids)
    Attendance.objects.bulk_create(
        [
            Attendance(
                action=action, person_id=pk, congregation_id=homes.get(pk), rsvp=Rsvp.WALK_IN
            )
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    now, recorded = timezone.now(), 0
    for pk in ids:  # one UPDATE each: only rows still unstamped are ours to record and audit
        stamped = Attendance.objects.filter(
            action=action, person_id=pk, checked_in_at__isnull=True
        ).update(
            checked_in_at=now,
            checked_in_by=by,
            recorded_after=True,
            congregation=Coalesce(F("congregation"), homes.get(pk)),
        )
        if stamped:
            recorded += 1
            audit_log(
                by=by,
                action=AuditEvent.Action.ATTENDANCE_AFTER,
                person_id=pk,
                action_id=action.pk,
                note=note[:300],
            )
    return recorded


@transaction.atomic
def evaluation_record(
    *,
    action: Action,
    kind: str,
    by,
    held_on: datetime.date,
    what_worked: str = "",
    what_to_change: str = "",
    asks_answered: str = "",
    turnout: int | None = None,
    standouts=(),
) -> Evaluation:
    """Record an evaluation written by `by` (its author). The group evaluation completes the
    action and starts the return to relationships (follow-ups for attendees nobody has met
    one-on-one in a year)."""
    if turnout is None:
        turnout = Attendance.objects.filter(action=action, checked_in_at__isnull=False).count()
    if kind == EvaluationKind.GROUP and action.evaluations.filter(kind=kind).exists():
        raise ValidationError(_("This action already has its group evaluation."))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                action=action,
                kind=kind,
                author=by,
                held_on=held_on,
                turnout=turnout,
                turnout_goal=action.turnout_goal,
                asks_answered=asks_answered,
                what_worked=what_worked,
                what_to_change=what_to_change,
            )
    except IntegrityError as exc:  # a second group evaluation submitted at the same moment
        raise ValidationError(_("This action already has its group evaluation.")) from exc
    evaluation.standouts.set(standouts)
    if kind == EvaluationKind.GROUP:
        from .tasks import return_to_relationships_task  # reason: the task calls this module

        dispatch(return_to_relationships_task, action_id=action.pk)
    return evaluation


def _owners_by_congregation(congregation_ids) -> dict[int, User]:
    """Each congregation's lead (the first active one); else an organizer assigned to it."""
    owners: dict[int, User] = {pk: leads[0] for pk, leads in leads_of(congregation_ids).items()}
    leaderless = set(congregation_ids) - set(owners)
    if not leaderless:
        return owners
    links = (
        User.congregations.through.objects.filter(
            congregation_id__in=leaderless, user__is_active=True, user__role=Role.ORGANIZER
        )
        .select_related("user")
        .order_by("user_id")
    )
    for link in links:
        owners.setdefault(link.congregation_id, link.user)
    return owners


def return_to_relationships(*, action: Action) -> int:
    """After the group evaluation: each checked-in attendee with no one-on-one in the last 12
    months becomes a follow-up for their congregation's lead. Once per person per action;
    running it again creates nothing new. Returns how many follow-ups were created now."""
    if not action.evaluations.filter(kind=EvaluationKind.GROUP).exists():
        return 0
    since = timezone.localdate() - datetime.timedelta(days=NO_ONE_ON_ONE_FOR_DAYS)
    came = Person.objects.filter(
        attendances__action=action, attendances__checked_in_at__isnull=False
    )
    unmet = people_without_one_on_one_since(came, since)
    attendees = list(
        Attendance.objects.filter(action=action, checked_in_at__isnull=False)
        .filter(person__in=unmet.values("pk"))
        .exclude(person__in=ActionFollowUp.objects.filter(action=action).values("person"))
        .exclude(person__do_not_contact=True)
        .select_related("person")
    )
    owners = _owners_by_congregation({a.congregation_id for a in attendees if a.congregation_id})
    fallback = action.campaign.lead_organizer if action.campaign else None
    due_on = timezone.localdate() + datetime.timedelta(days=FOLLOW_UP_AFTER_DAYS)
    note = _("Came to %(action)s: invite them to a one-on-one.") % {"action": action.title}
    created = 0
    for attendance in attendees:
        owner = owners.get(attendance.congregation_id or 0) or fallback
        if owner is None:
            log.info("no lead for congregation %s: no follow-up", attendance.congregation_id)
            continue
        try:
            with transaction.atomic():
                link = ActionFollowUp.objects.create(
                    action=action, person=attendance.person, owner=owner
                )
                follow_up = followup_create(
                    owner=owner,
                    person=attendance.person,
                    due_on=due_on,
                    source=action,
                    note=note[:300],
                )
                link.followup_id = follow_up.pk
                link.save(update_fields=["followup_id"])
                created += 1
        except IntegrityError:  # another run got this person first
            continue
    Evaluation.objects.filter(
        action=action, kind=EvaluationKind.GROUP, followups_done_at__isnull=True
    ).update(followups_done_at=timezone.now())
    return created


SWEEP_GRACE = datetime.timedelta(minutes=2)


def return_to_relationships_sweep(*, now: datetime.datetime | None = None) -> int:
    """The beat's safety net: run the return to relationships for each recent group evaluation
    whose task never ran (lost to a broker outage or a dead worker). Evaluations younger than
    two minutes are left to their own task; older than LOOKBACK_DAYS, to history. Each person
    gets one follow-up per action however often this runs. Returns the follow-ups created."""
    now = now or timezone.now()
    pending = Evaluation.objects.filter(
        kind=EvaluationKind.GROUP,
        followups_done_at__isnull=True,
        created_at__lt=now - SWEEP_GRACE,
        created_at__gte=now - datetime.timedelta(days=conect_setting("LOOKBACK_DAYS")),
    ).select_related("action", "action__campaign")
    created = 0
    for evaluation in pending:
        created += return_to_relationships(action=evaluation.action)
    return created


@transaction.atomic
def calendar_feed_create(*, by) -> CalendarFeed:
    """Make `by`'s secret calendar subscription address; one who has one already keeps it."""
    feed, _created = CalendarFeed.objects.get_or_create(user=by)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, by) -> CalendarFeed:
    """Replace `by`'s calendar address with a new one: the old address stops working at once."""
    CalendarFeed.objects.filter(user=by).delete()
    return CalendarFeed.objects.create(user=by)
