"""Demo issues, campaigns, targets, ~200 actions with pledges, attendance, evaluations and
commitments for seed_demo. Bulk inserts throughout; independent of the relationships step."""

import datetime
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from actions.models import (
    Action,
    ActionFollowUp,
    ActionKind,
    Attendance,
    CalendarFeed,
    Evaluation,
    EvaluationKind,
    Rsvp,
    TurnoutPledge,
)
from congregations.models import Membership

from .models import (
    Answer,
    Campaign,
    CampaignStageChange,
    Commitment,
    CommitmentStatus,
    Issue,
    ResearchAction,
    Stage,
    Target,
)

BATCH = 2000
ISSUES = [
    ("Affordable housing", "Rents rising faster than wages; long public-housing waitlists."),
    ("Wage theft", "Workers not paid for overtime; no enforcement staff."),
    ("Immigrant protection", "Families afraid to report crimes or use clinics."),
    ("School funding", "Crumbling buildings and large class sizes in city schools."),
    ("Gun violence prevention", "Shootings concentrated on a few blocks; young people lost."),
    ("Health care access", "Clinics closing; people without a primary doctor."),
    ("Public transit", "Buses that do not reach the jobs."),
    ("Lead in water and homes", "Children poisoned by old paint and pipes."),
]
CAMPAIGNS = [
    (
        "Homes we can afford",
        0,
        Stage.ACT,
        "200 units of deeply affordable housing funded in the city budget.",
    ),
    (
        "Pay what you owe",
        1,
        Stage.RESEARCH,
        "A state wage-theft enforcement unit with 10 investigators.",
    ),
    (
        "Safe to be here",
        2,
        Stage.EVALUATE,
        "A trust ordinance: local police do not act as immigration agents.",
    ),
    ("Fix our schools", 3, Stage.LISTEN, "A school construction plan for the 12 oldest buildings."),
    (
        "Peace on our streets",
        4,
        Stage.ACT,
        "Street outreach workers funded on the 5 hardest-hit blocks.",
    ),
    (
        "A doctor for everyone",
        5,
        Stage.RELATE,
        "Two community health centres kept open and expanded.",
    ),
    ("Ride to work", 6, Stage.RESEARCH, "Night and weekend bus service to the warehouse district."),
    ("Lead-free by 2030", 7, Stage.EVALUATE, "Every lead service line replaced by 2030."),
    ("Tenant right to counsel", 0, Stage.LISTEN, "A lawyer for every tenant facing eviction."),
    ("Second chances", 4, Stage.RELATE, "Clean-slate record clearing applied automatically."),
]
TARGETS = [
    ("Luis Arroyo", "Mayor", "City of Hartford"),
    ("Janet Okafor", "Mayor", "City of Bridgeport"),
    ("Paul DeMarco", "Mayor", "City of New Haven"),
    ("Helen Whitcomb", "Governor", "State of Connecticut"),
    ("Rafael Quiñones", "Commissioner of Labor", "State of Connecticut"),
    ("Sandra Lee-Park", "Commissioner of Housing", "State of Connecticut"),
    ("Thomas Brennan", "Superintendent of Schools", "Hartford Public Schools"),
    ("Grace Mensah", "Chief of Police", "City of Bridgeport"),
    ("Ira Feldstein", "Chair, Appropriations Committee", "Connecticut General Assembly"),
    ("Maribel Santos", "President, City Council", "City of Hartford"),
    ("Kevin Osei", "Executive Director", "Housing Authority of New Haven"),
    ("Dorothy Hale", "CEO", "Greater Hartford Transit District"),
    ("Amir Haddad", "Commissioner of Public Health", "State of Connecticut"),
    ("Carol Nguyen", "State Senator, 1st District", "Connecticut General Assembly"),
    ("Michael Torres", "State Representative, 4th District", "Connecticut General Assembly"),
]
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


def _when(rng: random.Random, day: datetime.date) -> datetime.datetime:
    # Weekday evenings mostly, some Saturday mornings: what congregations can actually attend.
    hour = 10 if day.weekday() == 5 else rng.choice([18, 18, 19, 19])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _history(campaign: Campaign, started: datetime.datetime, by, rng) -> list[CampaignStageChange]:
    """Rows from relate round to the campaign's stage (some campaigns went round once before)."""
    stages = list(Stage)
    steps = stages[: stages.index(Stage(campaign.stage)) + 1]
    if rng.random() < 0.4:
        steps = stages + steps
    rows, when, previous = [], started, ""
    for stage in steps:
        rows.append(
            CampaignStageChange(
                campaign=campaign,
                from_stage=previous,
                to_stage=stage,
                changed_by=by,
                changed_at=when,
                reason="" if not previous else f"Ready to {stage.label.lower()}",
            )
        )
        previous, when = stage, when + datetime.timedelta(days=rng.randint(30, 90))
    return rows


def seed_campaigns(demo: dict) -> str:
    rng, congregations = demo["rng"], demo["congregations"]
    users = demo.get("users", {})
    organizer = users.get("organizer")
    now = timezone.now()
    today = timezone.localdate()

    issues = Issue.objects.bulk_create(
        [
            Issue(
                name=n,
                description=d,
                created_by=organizer,
                created_at=now - datetime.timedelta(days=800),
            )
            for n, d in ISSUES
        ]
    )
    campaigns, history = [], []
    for name, issue_index, stage, goal in CAMPAIGNS:
        campaigns.append(
            Campaign(
                name=name,
                issue=issues[issue_index],
                goal=goal,
                stage=stage,
                lead_organizer=organizer,
                created_at=now - datetime.timedelta(days=rng.randint(400, 760)),
            )
        )
    Campaign.objects.bulk_create(campaigns)
    links = []
    campaign_congregations = {}
    for campaign in campaigns:
        chosen = rng.sample(congregations, rng.randint(6, 14))
        campaign_congregations[campaign.pk] = chosen
        links += [Campaign.congregations.through(campaign=campaign, congregation=c) for c in chosen]
        rows = _history(campaign, campaign.created_at, organizer, rng)
        campaign.stage_changed_at = min(rows[-1].changed_at, now)
        history += rows
    Campaign.congregations.through.objects.bulk_create(links)
    Campaign.objects.bulk_update(campaigns, ["stage_changed_at"])
    CampaignStageChange.objects.bulk_create(history)

    targets = Target.objects.bulk_create(
        [Target(name=n, office=o, jurisdiction=j) for n, o, j in TARGETS]
    )
    research = []
    for campaign in campaigns:
        if campaign.stage in (Stage.RELATE, Stage.LISTEN) and rng.random() < 0.7:
            continue
        for _ in range(rng.randint(2, 5)):
            target = rng.choice(targets)
            research.append(
                ResearchAction(
                    campaign=campaign,
                    target=target,
                    recorded_by=organizer,
                    held_on=today - datetime.timedelta(days=rng.randint(30, 600)),
                    met_with=f"{target.name}, {target.office}",
                    questions="Who decides? What does it cost? What stands in the way?",
                    findings=rng.choice(
                        [
                            "The budget line exists but is unfunded.",
                            "A pilot ran in 2019 and worked.",
                            "The decision sits with the council, not the mayor.",
                            "Federal money is available if the city applies.",
                        ]
                    ),
                )
            )
    ResearchAction.objects.bulk_create(research)

    # People by primary congregation, for attendance.
    members = defaultdict(list)
    for congregation_id, person_id in Membership.objects.filter(is_primary=True).values_list(
        "congregation_id", "person_id"
    ):
        members[congregation_id].append(person_id)

    actions, participants = [], {}
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    for i in range(200):
        past = i < 172
        day = (
            today - datetime.timedelta(days=rng.randint(3, 730))
            if past
            else today + datetime.timedelta(days=rng.randint(1, 90))
        )
        kind = rng.choices(kinds, weights)[0]
        theme = rng.choice(campaigns) if rng.random() < 0.8 else None
        pool = campaign_congregations[theme.pk] if theme else congregations
        chosen = rng.sample(
            pool, min(len(pool), rng.randint(2, 8) if kind != ActionKind.ASSEMBLY else 14)
        )
        starts = _when(rng, day)
        turnout_goal = {
            ActionKind.ASSEMBLY: 1200,
            ActionKind.PUBLIC_ACTION: 400,
            ActionKind.ACCOUNTABILITY: 300,
        }.get(kind, 40)
        title = {
            ActionKind.ASSEMBLY: "Annual assembly",
            ActionKind.PUBLIC_ACTION: f"{theme.name if theme else 'Justice'} public action",
            ActionKind.ACCOUNTABILITY: f"Accountability session: {theme.name if theme else 'our city'}",
            ActionKind.TRAINING: rng.choice(
                [
                    "One-on-one training",
                    "Power analysis training",
                    "House meeting training",
                    "Leading an action: training",
                ]
            ),
            ActionKind.RESEARCH: f"Research action: {theme.name if theme else 'listening results'}",
        }[kind]
        action = Action(
            kind=kind,
            title=title,
            campaign=theme,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=rng.choice(PLACES),
            turnout_goal=turnout_goal,
            agenda="Welcome and prayer · Stories · The ask · Commitments · Evaluation",
            created_by=organizer,
            created_at=starts - datetime.timedelta(days=30),
        )
        actions.append(action)
        participants[i] = chosen
    Action.objects.bulk_create(actions)

    action_links, pledges, attendances, evaluations, commitments = [], [], [], [], []
    for i, action in enumerate(actions):
        past = action.starts_at < now
        scale = action.turnout_goal / max(len(participants[i]), 1)
        turnout = 0
        for congregation in participants[i]:
            action_links.append(
                Action.congregations.through(action=action, congregation=congregation)
            )
            pledged = max(3, int(scale * rng.uniform(0.6, 1.2)))
            pledges.append(
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
                attended = n < came
                attendances.append(
                    Attendance(
                        action=action,
                        person_id=person_id,
                        congregation=congregation,
                        rsvp=Rsvp.YES
                        if n < rsvp_yes
                        else rng.choice([Rsvp.INVITED, Rsvp.MAYBE, Rsvp.NO]),
                        invited_at=action.created_at,
                        checked_in_at=action.starts_at
                        + datetime.timedelta(minutes=rng.randint(-20, 30))
                        if attended
                        else None,
                    )
                )
        if (
            past
            and action.ends_at.date() < today - datetime.timedelta(days=1)
            and rng.random() < 0.9
        ):
            held = timezone.localdate(action.ends_at) + datetime.timedelta(days=rng.randint(0, 2))
            evaluations.append(
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
                )
            )
            if (
                action.kind
                in (ActionKind.PUBLIC_ACTION, ActionKind.ACCOUNTABILITY, ActionKind.ASSEMBLY)
                and rng.random() < 0.7
            ):
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
        if past and action.kind in (
            ActionKind.PUBLIC_ACTION,
            ActionKind.ACCOUNTABILITY,
            ActionKind.ASSEMBLY,
        ):
            for target in rng.sample(targets, rng.randint(1, 3)):
                answer = rng.choices(
                    [Answer.YES, Answer.PARTIAL, Answer.NO, Answer.NO_ANSWER], [5, 2, 1, 1]
                )[0]
                due = timezone.localdate(action.starts_at) + datetime.timedelta(
                    days=rng.randint(30, 180)
                )
                status = CommitmentStatus.OPEN
                evidence = ""
                if answer in (Answer.YES, Answer.PARTIAL) and due < today:
                    status = rng.choices([CommitmentStatus.KEPT, CommitmentStatus.BROKEN], [3, 1])[
                        0
                    ]
                    evidence = (
                        "Budget line adopted"
                        if status == CommitmentStatus.KEPT
                        else "Not in the adopted budget"
                    )
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
    Action.congregations.through.objects.bulk_create(action_links, batch_size=BATCH)
    TurnoutPledge.objects.bulk_create(pledges, batch_size=BATCH)
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    checked = sum(1 for a in attendances if a.checked_in_at)
    return (
        f"{len(issues)} issues, {len(campaigns)} campaigns, {len(targets)} targets, {len(actions)} actions, "
        f"{len(pledges):,} pledges, {len(attendances):,} invitations ({checked:,} checked in), "
        f"{len(evaluations)} evaluations, {len(commitments)} commitments"
    )


def wipe_campaigns() -> None:
    """Delete what seed_campaigns made (and anything else in these two apps)."""
    models: list[Any] = [ActionFollowUp, CalendarFeed, Evaluation, Attendance, TurnoutPledge]
    models += [Commitment, Action, ResearchAction, CampaignStageChange, Campaign, Target, Issue]
    for model in models:
        model.objects.all().delete()
