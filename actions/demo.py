"""Demo actions for seed_demo: ~200 actions with turnout pledges, attendance, evaluations and the
commitments targets made at them. Bulk inserts throughout.

Runs right after seed_campaigns, whose campaigns, participating congregations and targets it reads
from `demo`, and continues the same random sequence: reordering any draw changes the data a seed
gives, so keep them in order.
"""

import datetime
import random
from collections import Counter, defaultdict

from django.db.models import Count
from django.utils import timezone

from campaigns.models import Answer, Commitment, CommitmentStatus
from conect.ladder import LEADER_LEVELS, Level
from congregations.models import Membership
from members.models import LeadershipChange, Person
from relationships.ladder import suggest_next_level
from relationships.models import HouseMeeting, OneOnOne

from .models import (
    Action,
    ActionFollowUp,
    ActionKind,
    Attendance,
    CalendarFeed,
    Election,
    Evaluation,
    EvaluationKind,
    PledgeCard,
    RegistrationDriveResult,
    Rsvp,
    TurnoutPledge,
)

BATCH = 2000
PAST = 172  # of the 200 actions, how many already happened
PLACES = [
    "St. Augustine Parish Hall, Waterbury",
    "Legislative Office Building, Hartford",
    "Bushnell Park, Hartford",
    "Sacred Heart Parish gym, Bridgeport",
    "Congregation Mishkan Israel, Hamden",
    "Greater Hope Missionary Baptist Church, New Haven",
    "Hartford City Hall atrium",
    "Masjid Al-Noor community room, Bridgeport",
    "Gurdwara Sahib, Norwich",
]
KIND_WEIGHTS = {
    ActionKind.PUBLIC_ACTION: 2,
    ActionKind.ACCOUNTABILITY: 2,
    ActionKind.ASSEMBLY: 1,
    ActionKind.TRAINING: 3,
    ActionKind.RESEARCH: 2,
}
TRAININGS = [
    "One-on-one training",
    "Power analysis training",
    "House meeting training",
    "Leading an action: training",
]
# The kinds where officials are asked in public and formal evaluations are held.
PUBLIC_KINDS = (ActionKind.PUBLIC_ACTION, ActionKind.ACCOUNTABILITY, ActionKind.ASSEMBLY)
ASKS = [
    "Will you include the funding in this year's budget?",
    "Will you meet with our leaders every quarter?",
    "Will you co-sponsor the bill this session?",
    "Will you publish the data by the end of the month?",
    "Will you come to our next assembly and report back?",
]
WORKED = [
    "Leaders told their own stories",
    "Turnout beat the pledges",
    "Tight agenda, on time",
    "Interpreters at every table",
]
CHANGE = [
    "Start calls a week earlier",
    "Pin the official down on a date",
    "More youth in speaking roles",
    "Fewer speakers, more asks",
]


def seed_actions(demo: dict) -> str:
    """Actions, then per action (in order): pledges and attendance, evaluations, commitments."""
    rng = demo["rng"]
    organizer = demo.get("users", {}).get("organizer")
    now, today = timezone.now(), timezone.localdate()
    members = _members_by_congregation()
    actions, participants = _schedule_actions(demo, organizer, today)
    Action.objects.bulk_create(actions)

    rows: dict[str, list] = defaultdict(list)
    for action, congregations in zip(actions, participants, strict=True):
        past = action.starts_at < now
        turnout = _turnout(rng, action, congregations, members, past, organizer, rows)
        if (
            past
            and action.ends_at.date() < today - datetime.timedelta(days=1)
            and rng.random() < 0.9
        ):
            rows["evaluations"] += _evaluations(rng, action, turnout, organizer)
        if past and action.kind in PUBLIC_KINDS:
            rows["commitments"] += _commitments(rng, action, demo["targets"], organizer, today)
    Action.congregations.through.objects.bulk_create(rows["links"], batch_size=BATCH)
    TurnoutPledge.objects.bulk_create(rows["pledges"], batch_size=BATCH)
    Attendance.objects.bulk_create(rows["attendances"], batch_size=BATCH)
    Evaluation.objects.bulk_create(rows["evaluations"], batch_size=BATCH)
    Commitment.objects.bulk_create(rows["commitments"], batch_size=BATCH)
    checked = sum(1 for a in rows["attendances"] if a.checked_in_at)
    return (
        f"{len(actions)} actions, {len(rows['pledges']):,} pledges, "
        f"{len(rows['attendances']):,} invitations ({checked:,} checked in), "
        f"{len(rows['evaluations'])} evaluations, {len(rows['commitments'])} commitments"
    )


def _members_by_congregation() -> dict[int, list[int]]:
    """People by primary congregation, for attendance."""
    members = defaultdict(list)
    for congregation_id, person_id in Membership.objects.filter(is_primary=True).values_list(
        "congregation_id", "person_id"
    ):
        members[congregation_id].append(person_id)
    return members


def _when(rng: random.Random, day: datetime.date) -> datetime.datetime:
    # Weekday evenings mostly, some Saturday mornings: what congregations can actually attend.
    hour = 10 if day.weekday() == 5 else rng.choice([18, 18, 19, 19])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _schedule_actions(demo: dict, organizer, today: datetime.date) -> tuple[list, list]:
    """200 unsaved actions, most in the past two years, and the congregations taking part."""
    rng, campaigns = demo["rng"], demo["campaigns"]
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    actions, participants = [], []
    for i in range(200):
        day = (
            today - datetime.timedelta(days=rng.randint(3, 730))
            if i < PAST
            else today + datetime.timedelta(days=rng.randint(1, 90))
        )
        kind = rng.choices(kinds, weights)[0]
        theme = rng.choice(campaigns) if rng.random() < 0.8 else None
        pool = demo["campaign_congregations"][theme.pk] if theme else demo["congregations"]
        chosen = rng.sample(
            pool, min(len(pool), rng.randint(2, 8) if kind != ActionKind.ASSEMBLY else 14)
        )
        starts = _when(rng, day)
        # Drawn for every kind, not only trainings: the seed's sequence depends on it.
        training = rng.choice(TRAININGS)
        about = theme.name if theme else None
        title = {
            ActionKind.ASSEMBLY: "Annual assembly",
            ActionKind.PUBLIC_ACTION: f"{about or 'Justice'} public action",
            ActionKind.ACCOUNTABILITY: f"Accountability session: {about or 'our city'}",
            ActionKind.TRAINING: training,
            ActionKind.RESEARCH: f"Research action: {about or 'listening results'}",
        }[kind]
        actions.append(
            Action(
                kind=kind,
                title=title,
                campaign=theme,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place=rng.choice(PLACES),
                turnout_goal={
                    ActionKind.ASSEMBLY: 1200,
                    ActionKind.PUBLIC_ACTION: 400,
                    ActionKind.ACCOUNTABILITY: 300,
                }.get(kind, 40),
                agenda="Welcome and prayer · Stories · The ask · Commitments · Evaluation",
                created_by=organizer,
                created_at=starts - datetime.timedelta(days=30),
            )
        )
        participants.append(chosen)
    return actions, participants


def _turnout(rng, action, congregations, members, past: bool, organizer, rows) -> int:
    """Each congregation's pledge, its invitations and RSVPs, and (if past) who checked in.
    Appends to rows["links"], rows["pledges"], rows["attendances"]; returns the turnout."""
    scale = action.turnout_goal / max(len(congregations), 1)
    turnout = 0
    for congregation in congregations:
        rows["links"].append(Action.congregations.through(action=action, congregation=congregation))
        pledged = max(3, int(scale * rng.uniform(0.6, 1.2)))
        rows["pledges"].append(
            TurnoutPledge(
                action=action,
                congregation=congregation,
                pledged=pledged,
                pledged_by=organizer,
                updated_at=action.created_at,
            )
        )
        people = members.get(congregation.pk, [])
        invited = rng.sample(people, min(len(people), int(pledged * 1.5)))
        rsvp_yes = int(pledged * rng.uniform(0.6, 1.0))
        came = int(pledged * rng.uniform(0.5, 1.15)) if past else 0
        turnout += min(came, len(invited))
        for n, person_id in enumerate(invited):
            rsvp = Rsvp.YES if n < rsvp_yes else rng.choice([Rsvp.INVITED, Rsvp.MAYBE, Rsvp.NO])
            checked_in_at = (
                action.starts_at + datetime.timedelta(minutes=rng.randint(-20, 30))
                if n < came
                else None
            )
            rows["attendances"].append(
                Attendance(
                    action=action,
                    person_id=person_id,
                    congregation=congregation,
                    rsvp=rsvp,
                    invited_at=action.created_at,
                    invited_by=organizer,
                    checked_in_at=checked_in_at,
                )
            )
    return turnout


def _evaluations(rng, action, turnout: int, organizer) -> list[Evaluation]:
    """The group evaluation within two days; a formal one 7–10 days later for public actions."""
    held = timezone.localdate(action.ends_at) + datetime.timedelta(days=rng.randint(0, 2))
    evaluations = [
        Evaluation(
            action=action,
            kind=EvaluationKind.GROUP,
            held_on=held,
            author=organizer,
            turnout=turnout,
            turnout_goal=action.turnout_goal,
            what_worked=rng.choice(WORKED),
            what_to_change=rng.choice(CHANGE),
            asks_answered="See commitments",
            followups_done_at=timezone.now(),  # the demo's follow-ups are seeded, not swept
        )
    ]
    if action.kind in PUBLIC_KINDS and rng.random() < 0.7:
        evaluations.append(
            Evaluation(
                action=action,
                kind=EvaluationKind.FORMAL,
                held_on=held + datetime.timedelta(days=rng.randint(7, 10)),
                author=organizer,
                turnout=turnout,
                turnout_goal=action.turnout_goal,
                what_worked=rng.choice(WORKED),
                what_to_change=rng.choice(CHANGE),
            )
        )
    return evaluations


def _commitments(rng, action, targets, organizer, today: datetime.date) -> list[Commitment]:
    """One to three officials asked in public; yeses and partials past due are kept or broken."""
    commitments = []
    for target in rng.sample(targets, rng.randint(1, 3)):
        answer = rng.choices(
            [Answer.YES, Answer.PARTIAL, Answer.NO, Answer.NO_ANSWER], [5, 2, 1, 1]
        )[0]
        due = timezone.localdate(action.starts_at) + datetime.timedelta(days=rng.randint(30, 180))
        status, evidence = CommitmentStatus.OPEN, ""
        if answer in (Answer.YES, Answer.PARTIAL) and due < today:
            status = rng.choices([CommitmentStatus.KEPT, CommitmentStatus.BROKEN], [3, 1])[0]
            kept = status == CommitmentStatus.KEPT
            evidence = "Budget line adopted" if kept else "Not in the adopted budget"
        commitments.append(
            Commitment(
                target=target,
                campaign=action.campaign,
                action=action,
                ask=rng.choice(ASKS),
                answer=answer,
                due_on=due,
                status=status,
                evidence=evidence,
                recorded_by=organizer,
                created_at=action.ends_at,
            )
        )
    return commitments


def wipe_actions() -> None:
    """Delete what seed_actions made and anything else in this app (before wipe_campaigns)."""
    for model in (PledgeCard, Election, ActionFollowUp, CalendarFeed, Evaluation, Attendance):
        model.objects.all().delete()
    TurnoutPledge.objects.all().delete()
    Commitment.objects.filter(action__isnull=False).delete()
    Action.objects.all().delete()


# --- Civic participation (issue 14): a registration drive, elections and pledge cards ---------


def seed_civic(demo: dict) -> str:
    """A past and an upcoming election, a voter registration drive with its counts, and
    pledge-to-vote cards from the people checked in at the last public actions (most of the
    past election's confirmed voted). Its own random sequence: the steps before keep theirs."""
    rng = random.Random(demo.get("seed", 2026) + 1414)
    organizer = demo.get("users", {}).get("organizer")
    today, now = timezone.localdate(), timezone.now()
    past_day, next_day = today - datetime.timedelta(days=29), today + datetime.timedelta(days=6)
    past = Election.objects.create(name=f"Connecticut state {past_day.year}", held_on=past_day)
    upcoming = Election.objects.create(
        name=f"Hartford municipal special {next_day.year}", held_on=next_day
    )
    congregations = demo["congregations"][:4]
    starts = _when(rng, today - datetime.timedelta(days=45))
    drive = Action.objects.create(
        kind=ActionKind.REGISTRATION_DRIVE,
        title="Voter registration drive after services",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        place=PLACES[0],
        turnout_goal=60,
        created_by=organizer,
    )
    drive.congregations.set(congregations)
    RegistrationDriveResult.objects.create(
        action=drive, forms_registered=38, people_helped=61, recorded_by=organizer
    )
    recent = list(
        Action.objects.filter(kind__in=PUBLIC_KINDS, ends_at__lt=now).order_by("-starts_at")[:4]
    )
    primary = dict(
        Membership.objects.filter(is_primary=True).values_list("person_id", "congregation_id")
    )
    cards, seen = [], set()
    for index, action in enumerate(recent):
        election = past if index >= 2 else upcoming  # the older actions collected for the past one
        attendees = Attendance.objects.filter(
            action=action, checked_in_at__isnull=False
        ).values_list("person_id", flat=True)
        for person_id in attendees:
            if (election.pk, person_id) in seen or rng.random() > 0.45:
                continue
            seen.add((election.pk, person_id))
            voted = election is past and rng.random() < 0.72
            cards.append(
                PledgeCard(
                    election=election,
                    person_id=person_id,
                    action=action,
                    congregation_id=primary.get(person_id),
                    collected_by=organizer,
                    collected_at=action.starts_at,
                    voted_confirmed_at=now if voted else None,
                    voted_confirmed_by=organizer if voted else None,
                )
            )
    PledgeCard.objects.bulk_create(cards, batch_size=BATCH)
    return (
        f"2 elections, 1 registration drive (38 registered, 61 helped), "
        f"{len(cards):,} pledge-to-vote cards"
    )


# What each rung's practice looks like at least (one-on-ones had, actions come to with a yes).
PRACTICE_FLOOR: dict[str, tuple[int, int]] = {
    Level.LEADER: (2, 1),
    Level.CORE_TEAM: (3, 2),
    Level.KEY_LEADER: (4, 3),
}


def settle_ladder(demo: dict) -> str:
    """Make the ladder agree with practice, after every other step: each leader, core-team member
    and key leader has been met in one-on-ones and has come to actions they said yes to; a
    leader with a login sits on the rung their own one-on-ones and house meetings support
    (relationships.ladder), the move recorded with its reason."""
    rng = demo["rng"]
    now = timezone.now()
    organizer = demo["users"]["organizer"]
    organizer_person = Person.objects.filter(user=organizer).values_list("pk", flat=True).first()
    past = list(Action.objects.filter(starts_at__lt=now).values_list("pk", "starts_at"))
    people = list(
        Person.objects.filter(level__in=LEADER_LEVELS).values_list("pk", "level", "user_id")
    )
    settled = _settle_logins(people, now)  # first: the floors below follow the settled rung
    people = [(pk, settled.get(pk, level), user_id) for pk, level, user_id in people]
    ids = [pk for pk, _l, _u in people]
    home = dict(
        Membership.objects.filter(person_id__in=ids, is_primary=True).values_list(
            "person_id", "congregation_id"
        )
    )
    had = dict(
        OneOnOne.objects.filter(person_id__in=ids)
        .order_by()
        .values_list("person_id")
        .annotate(n=Count("id"))
    )
    rows = Attendance.objects.filter(person_id__in=ids).values_list(
        "pk", "action_id", "person_id", "checked_in_at"
    )
    existing = {(a, p): pk for pk, a, p, _c in rows}
    came: Counter = Counter(p for _pk, _a, p, checked in rows if checked)
    meetings, new_attendance, came_now = [], [], []
    for pk, level, _user in people:
        want_had, want_actions = PRACTICE_FLOOR[level]
        for _ in range(max(0, want_had - had.get(pk, 0))):
            meetings.append(
                OneOnOne(
                    author=organizer,
                    author_person_id=organizer_person,
                    person_id=pk,
                    congregation_id=home.get(pk),
                    held_on=now.date() - datetime.timedelta(days=rng.randint(7, 330)),
                    place="coffee shop",
                    potential="high",
                )
            )
        missing = max(0, want_actions - came[pk])
        for action_id, starts_at in rng.sample(past, k=min(len(past), missing)):
            checked_in = starts_at + datetime.timedelta(minutes=rng.randint(-10, 20))
            if (action_id, pk) in existing:
                came_now.append((existing[action_id, pk], checked_in))
                continue
            new_attendance.append(
                Attendance(
                    action_id=action_id,
                    person_id=pk,
                    congregation_id=home.get(pk),
                    rsvp=Rsvp.YES,
                    invited_at=starts_at - datetime.timedelta(days=10),
                    checked_in_at=checked_in,
                )
            )
    OneOnOne.objects.bulk_create(meetings, batch_size=BATCH)
    Attendance.objects.bulk_create(new_attendance, batch_size=BATCH)
    updated = [Attendance(pk=pk, rsvp=Rsvp.YES, checked_in_at=when) for pk, when in came_now]
    Attendance.objects.bulk_update(updated, ["rsvp", "checked_in_at"], batch_size=BATCH)
    return (
        f"ladder settled: {len(meetings):,} one-on-ones and "
        f"{len(new_attendance) + len(updated):,} check-ins for leaders, {len(settled)} login moves"
    )


def _settle_logins(people, now) -> dict[int, str]:
    """A leader with a login moves to the rung their own practice supports (one grouped read per
    kind of practice), with the rule's reason on the move: {person id: new rung}."""
    logins = {pk: (level, user_id) for pk, level, user_id in people if user_id}
    held = dict(
        OneOnOne.objects.filter(author_person_id__in=list(logins))
        .order_by()
        .values_list("author_person_id")
        .annotate(n=Count("id"))
    )
    hosted = dict(
        HouseMeeting.objects.filter(facilitator__person__in=list(logins))
        .order_by()
        .values_list("facilitator__person")
        .annotate(n=Count("id"))
    )
    changes, persons = [], []
    for pk, (level, _user_id) in logins.items():
        practice = {"held": held.get(pk, 0), "hosted": hosted.get(pk, 0)}
        supported, reason = Level.LEADER, "holds one-on-ones"
        while (step := suggest_next_level(supported, practice)) is not None:
            supported, reason = step["level"], step["reason"]
        if supported == level:
            continue
        persons.append(Person(pk=pk, level=supported))
        changes.append(
            LeadershipChange(
                person_id=pk,
                from_level=level,
                to_level=supported,
                reason=f"Practice on record: {reason}.",
                changed_at=now,
            )
        )
    Person.objects.bulk_update(persons, ["level"], batch_size=BATCH)
    LeadershipChange.objects.bulk_create(changes, batch_size=BATCH)
    return {person.pk: person.level for person in persons}
