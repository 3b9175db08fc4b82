"""Reminder rules for actions, evaluations, commitments and dues, and the weekly digest's parts
about them. Registered into notifications.reminders by importing this module (reminders does)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from actions.models import Action, Attendance, Evaluation, EvaluationKind, Rsvp, TurnoutPledge
from actions.selectors import actions_visible_to
from campaigns.models import Answer, Commitment, CommitmentStatus
from conect.access import Role
from conect.config import conect_setting
from congregations.fiscal import fiscal_year_bounds, fiscal_year_of
from congregations.models import Congregation, CongregationStatus
from congregations.selectors import congregations_visible_to, congregations_with_dues, leads_of
from members.models import User

from .models import Kind
from .reminders import DIGEST_LIST_LENGTH, daily_reminder_day, digest_section, local, rule
from .services import Due


def _action_day(action) -> datetime.date:
    return timezone.localtime(action.starts_at).date()


def _leads_with_person(congregation_ids) -> dict[int, list]:
    """`leads_of`, with each lead's Person loaded in one more query (a claim reads the
    recipient's language and do-not-contact flag from it)."""
    leads = leads_of(congregation_ids)
    prefetch_related_objects([lead for found in leads.values() for lead in found], "person")
    return leads


@rule
def action_rsvps(now):
    """People who said yes hear about the action two days before, with place and time."""
    today = daily_reminder_day(now)
    if today is None:
        return
    day = today + datetime.timedelta(days=conect_setting("ACTION_RSVP_DAYS"))
    actions = {a.pk: a for a in Action.objects.filter(starts_at__date=day)}
    if not actions:
        return
    going = Attendance.objects.filter(action_id__in=actions, rsvp=Rsvp.YES).select_related("person")
    for attendance in going.iterator(chunk_size=2000):
        action = actions[attendance.action_id]
        yield Due(
            kind=Kind.ACTION_RSVP,
            subject_key=f"action:{action.pk}",
            for_date=today,
            recipient_person=attendance.person,
            context={"action": action, "person": attendance.person},
            url=action.get_absolute_url(),
        )


@rule
def action_pledges(now):
    """Congregation leads 7 and 2 days before an action: their pledge against RSVPs so far."""
    today = daily_reminder_day(now)
    if today is None:
        return
    days = {today + datetime.timedelta(days=n): n for n in conect_setting("ACTION_PLEDGE_DAYS")}
    actions = list(
        Action.objects.filter(starts_at__date__in=list(days)).prefetch_related("congregations")
    )
    if not actions:
        return
    pledged = {
        (p.action_id, p.congregation_id): p.pledged
        for p in TurnoutPledge.objects.filter(action__in=actions)
    }
    rsvps = {
        (row["action"], row["congregation"]): row["n"]
        for row in Attendance.objects.filter(action__in=actions, rsvp=Rsvp.YES)
        .values("action", "congregation")
        .annotate(n=Count("id"))
    }
    congregations = {}
    for action in actions:
        for congregation in action.congregations.all():
            congregations[(action.pk, congregation.pk)] = congregation
    for action_id, congregation_id in pledged:
        congregations.setdefault((action_id, congregation_id), None)
    leads = _leads_with_person({cid for _aid, cid in congregations})
    by_id = {a.pk: a for a in actions}
    for (action_id, congregation_id), congregation in congregations.items():
        action = by_id[action_id]
        for lead in leads.get(congregation_id, []):
            yield Due(
                kind=Kind.ACTION_PLEDGE,
                subject_key=f"action:{action_id}:congregation:{congregation_id}",
                for_date=today,
                recipient_user=lead,
                context={
                    "action": action,
                    "congregation": congregation or lead.congregations.get(pk=congregation_id),
                    "days": days[_action_day(action)],
                    "pledged": pledged.get((action_id, congregation_id)),
                    "rsvps": rsvps.get((action_id, congregation_id), 0),
                },
                url=action.get_absolute_url(),
            )


def _evaluation_owner(action):
    campaign = action.campaign
    if campaign is not None and campaign.lead_organizer_id:
        return campaign.lead_organizer
    return action.created_by


def evaluation_reminder_step(days_since_end: int) -> int | None:
    """The back-off step a late group evaluation has reached `days_since_end` days after the
    action: the last of EVALUATION_REMINDER_DAYS (1, 3, 7) passed, then every
    EVALUATION_REMINDER_EVERY_DAYS (weekly) after the last of them; None before the first."""
    steps = sorted(conect_setting("EVALUATION_REMINDER_DAYS"))
    if days_since_end < steps[0]:
        return None
    if days_since_end <= steps[-1]:
        return max(step for step in steps if step <= days_since_end)
    every = conect_setting("EVALUATION_REMINDER_EVERY_DAYS")
    return steps[-1] + (days_since_end - steps[-1]) // every * every


@rule
def evaluations(now):
    """The group evaluation is due when the action ends, then reminded with a back-off (days
    1, 3 and 7 after it, then weekly) until it is recorded, however old the action; the formal
    evaluation from 7 to 10 days after. All to the lead organizer. Each step is its own claim
    (its `for_date`), so only the step reached now is sent, never a backlog."""
    lookback = datetime.timedelta(days=conect_setting("LOOKBACK_DAYS"))

    def recorded(kind):
        return Exists(Evaluation.objects.filter(action=OuterRef("pk"), kind=kind))

    ended = (
        Action.objects.filter(ends_at__lte=now)
        .annotate(
            has_group=recorded(EvaluationKind.GROUP), has_formal=recorded(EvaluationKind.FORMAL)
        )
        .filter(Q(has_group=False) | Q(has_formal=False, ends_at__gte=now - lookback))
        .select_related("campaign__lead_organizer__person", "created_by__person")
    )
    today = local(now).date()
    daily = daily_reminder_day(now)
    for action in ended:
        owner = _evaluation_owner(action)
        if owner is None:
            continue
        end_day = timezone.localtime(action.ends_at).date()
        base = {"action": action}
        if not action.has_group:
            step = evaluation_reminder_step((today - end_day).days) if daily else None
            if step is None and now - action.ends_at <= lookback:
                yield Due(
                    kind=Kind.EVALUATION_DUE,
                    subject_key=f"action:{action.pk}:group",
                    for_date=end_day,
                    recipient_user=owner,
                    context={**base, "which": "group"},
                    url=action.get_absolute_url(),
                )
            elif step is not None:
                yield Due(
                    kind=Kind.EVALUATION_DUE,
                    subject_key=f"action:{action.pk}:group-late",
                    for_date=end_day + datetime.timedelta(days=step),
                    recipient_user=owner,
                    context={**base, "which": "group_late", "days": step},
                    url=action.get_absolute_url(),
                )
        first, last = (
            end_day + datetime.timedelta(days=d) for d in conect_setting("FORMAL_EVALUATION_DAYS")
        )
        if not action.has_formal and first <= today <= last:
            yield Due(
                kind=Kind.EVALUATION_DUE,
                subject_key=f"action:{action.pk}:formal",
                for_date=first,
                recipient_user=owner,
                context={**base, "which": "formal", "last_day": last},
                url=action.get_absolute_url(),
            )


@rule
def commitments(now):
    """An open commitment due in 7 days, or past due, to the campaign's lead organizer: a promise
    not yet kept or broken, or an ask still waiting for its answer (a "no" is settled)."""
    today = daily_reminder_day(now)
    if today is None:
        return
    notice = today + datetime.timedelta(days=conect_setting("COMMITMENT_NOTICE_DAYS"))
    open_ = (
        Commitment.objects.filter(
            status=CommitmentStatus.OPEN, campaign__lead_organizer__isnull=False
        )
        .exclude(answer=Answer.NO)
        .filter(
            Q(due_on=notice)
            | Q(
                due_on__lt=today,
                due_on__gte=today - datetime.timedelta(days=conect_setting("LOOKBACK_DAYS")),
            )
        )
        .select_related("target", "campaign__lead_organizer__person")
    )
    for commitment in open_:
        overdue = commitment.due_on < today
        yield Due(
            kind=Kind.COMMITMENT_DUE,
            subject_key=f"commitment:{commitment.pk}:{'overdue' if overdue else 'soon'}",
            # Once each: the notice on its day, the overdue note the day after the due date.
            for_date=commitment.due_on + datetime.timedelta(days=1) if overdue else today,
            recipient_user=commitment.campaign.lead_organizer,
            context={"commitment": commitment, "target": commitment.target, "overdue": overdue},
            url=commitment.target.get_absolute_url(),
        )


def _staff():
    return list(User.objects.filter(role=Role.ADMIN, is_active=True).select_related("person"))


@rule
def dues(now):
    """Statements to congregation leads in the first week of the fiscal year; 30/60/90 days
    overdue to the leads and to staff, once per step per fiscal year."""
    today = daily_reminder_day(now)
    if today is None:
        return
    year = fiscal_year_of(today)
    start, _end = fiscal_year_bounds(year)
    members = list(
        congregations_with_dues(
            Congregation.objects.filter(status=CongregationStatus.MEMBER), today=today
        )
    )
    leads = _leads_with_person([c.pk for c in members])
    staff = _staff()
    for congregation in members:
        standing = congregation.dues
        context = {"congregation": congregation, "standing": standing}
        if start <= today < start + datetime.timedelta(days=7):
            for lead in leads.get(congregation.pk, []):
                yield Due(
                    kind=Kind.DUES_STATEMENT,
                    subject_key=f"dues:{congregation.pk}:fy{year}",
                    for_date=start,
                    recipient_user=lead,
                    context=context,
                    url=f"{congregation.get_absolute_url()}dues/",
                )
        older = {30: sum(standing.aging[1:]), 60: sum(standing.aging[2:]), 90: standing.aging[3]}
        steps = [step for step in conect_setting("DUES_OVERDUE_STEPS") if older[step] > 0]
        if not steps:
            continue
        step = steps[-1]
        for recipient in leads.get(congregation.pk, []) + staff:
            yield Due(
                kind=Kind.DUES_OVERDUE,
                subject_key=f"dues:{congregation.pk}:fy{year}:{step}",
                for_date=start,
                recipient_user=recipient,
                context={**context, "days": step, "owed_cents": older[step]},
                url=f"{congregation.get_absolute_url()}dues/",
            )


@digest_section
def digest_actions(organizer, monday):
    """Upcoming actions in the next two weeks where RSVPs trail the pledge of one of the
    organizer's congregations (every congregation for network-wide organizers), the soonest
    action first and within it the biggest gap."""
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    soon = actions_visible_to(organizer).filter(
        starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=14)
    )
    mine = congregations_visible_to(organizer).values("pk")
    pledges = TurnoutPledge.objects.filter(action__in=soon, congregation__in=mine)
    rsvps = {
        (row["action"], row["congregation"]): row["n"]
        for row in Attendance.objects.filter(action__in=soon, congregation__in=mine, rsvp=Rsvp.YES)
        .values("action", "congregation")
        .annotate(n=Count("id"))
    }
    gaps = []
    for pledge in pledges.select_related("action", "congregation"):
        have = rsvps.get((pledge.action_id, pledge.congregation_id), 0)
        if have < pledge.pledged:
            gaps.append((pledge.action, pledge.congregation, pledge.pledged, have))
    gaps.sort(key=lambda gap: (gap[0].starts_at, gap[0].pk, gap[3] - gap[2], gap[1].name))
    shown = gaps[: DIGEST_LIST_LENGTH["pledge_gaps"]]
    return {"pledge_gaps": shown, "pledge_gaps_more": len(gaps) - len(shown)}


@digest_section
def digest_arrears(organizer, monday):
    scoped = congregations_with_dues(congregations_visible_to(organizer), today=monday)
    return {"in_arrears": [c for c in scoped.order_by("name") if c.dues.in_arrears]}
