"""Demo issues, campaigns (with their stage history), targets and research actions for seed_demo.

Bulk inserts throughout. The actions step (actions/demo.py) runs right after this one and reads
demo["campaigns"], demo["campaign_congregations"] and demo["targets"]."""

import datetime
import random

from django.utils import timezone

from .models import Campaign, CampaignStageChange, Commitment, Issue, ResearchAction, Stage, Target

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
    """Issues, campaigns round the cycle, targets and research; leaves them in `demo` for the
    actions step, which must run next (it continues the same random sequence)."""
    rng = demo["rng"]
    organizer = demo.get("users", {}).get("organizer")
    now = timezone.now()
    issues, campaigns = _issues_and_campaigns(rng, organizer, now)
    campaign_congregations = _congregations_and_history(
        rng, campaigns, demo["congregations"], organizer, now
    )
    targets = Target.objects.bulk_create(
        [Target(name=n, office=o, jurisdiction=j) for n, o, j in TARGETS]
    )
    _research(rng, campaigns, targets, organizer, timezone.localdate())
    demo["campaigns"] = campaigns
    demo["campaign_congregations"] = campaign_congregations
    demo["targets"] = targets
    return f"{len(issues)} issues, {len(campaigns)} campaigns, {len(targets)} targets"


def _issues_and_campaigns(rng: random.Random, organizer, now: datetime.datetime):
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
    campaigns = [
        Campaign(
            name=name,
            issue=issues[issue_index],
            goal=goal,
            stage=stage,
            lead_organizer=organizer,
            created_at=now - datetime.timedelta(days=rng.randint(400, 760)),
        )
        for name, issue_index, stage, goal in CAMPAIGNS
    ]
    Campaign.objects.bulk_create(campaigns)
    return issues, campaigns


def _congregations_and_history(
    rng: random.Random, campaigns: list[Campaign], congregations: list, organizer, now
) -> dict:
    """Each campaign's participating congregations and its steps round the cycle so far."""
    links, history, campaign_congregations = [], [], {}
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
    return campaign_congregations


def _research(
    rng: random.Random, campaigns: list[Campaign], targets: list[Target], organizer, today
) -> list[ResearchAction]:
    """Meetings with officials; most campaigns still relating or listening have none yet."""
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
    return ResearchAction.objects.bulk_create(research)


def wipe_campaigns() -> None:
    """Delete what seed_campaigns made and anything else in this app (run after wipe_actions)."""
    for model in (Commitment, ResearchAction, CampaignStageChange, Campaign, Target, Issue):
        model.objects.all().delete()
