"""Demo relational meetings for seed_demo: two years of one-on-ones (about 60,000 for 30,000
people), house meetings and follow-ups, with a realistic weekly cadence per organizer and leader.

Adds eight more staff organizers (each covering a few congregations) and about one leader with a
login per hundred people; each gets their own Person with a primary membership. Bulk inserts only.
"""

import datetime
import random
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from conect.access import Role
from conect.ladder import LEADER_LEVELS, Level
from congregations.models import Membership, MembershipRole
from members.models import Person, User

from .models import FollowUp, FollowUpSource, HouseMeeting, IssueHeard, OneOnOne, WeeklyTarget

BATCH = 2000
WEEKS = 104
ISSUES = {  # name: weight
    "housing": 14,
    "wages": 9,
    "immigration": 8,
    "schools": 8,
    "public transit": 5,
    "health care": 7,
    "gun violence": 6,
    "policing": 4,
    "climate": 4,
    "childcare": 5,
    "elder care": 4,
    "food access": 3,
    "youth jobs": 4,
    "addiction": 3,
}
STORIES = [
    "Grew up in the parish; her rent went up 30% this year and she is thinking of leaving town.",
    "Works two jobs; angry that his daughter's school lost its counselor.",
    "Retired nurse; sees neighbors skip medicine to pay for heat.",
    "Came from Guatemala in 2015; afraid to call the police after a robbery.",
    "Runs the youth group; three kids he knows were shot last summer.",
    "Bus to work takes 90 minutes each way since the route was cut.",
    "Cares for her mother at home; no respite anywhere she can afford.",
    "Small landlord himself; worried about the new owners buying up the block.",
    "Teacher; wants the congregation to stand with the parents on school funding.",
    "Lost his job at the plant; wants training that leads somewhere.",
    "Quiet at first, then talked for an hour about her grandfather's organizing in Alabama.",
    "",
    "",
]
PLACES = ["after service", "coffee shop", "parking lot", "home visit", "phone", "fellowship hall"]
ORGANIZERS = [
    ("Jamal", "Rivers"),
    ("Ilana", "Katz"),
    ("Carlos", "Ortega"),
    ("Noor", "Haddad"),
    ("Grace", "Kim"),
    ("Peter", "Sullivan"),
    ("Harpreet", "Gill"),
    ("Fabienne", "Pierre"),
]


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain executemany: ten times faster than bulk_create for 100,000 rows of plain values."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (our own names)
                rows[start : start + 5000],
            )


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(*models) -> None:
    """Rows inserted with explicit ids: move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _weekly(rng: random.Random, rate: float, week_start: datetime.date) -> int:
    """How many one-on-ones in the week starting `week_start`: summer and holidays are slower."""
    season = 1.0
    if week_start.month in (7, 8):
        season = 0.6
    elif week_start.month == 12 and week_start.day >= 18:
        season = 0.3
    if rng.random() < 0.06:  # vacation, sick week, a campaign crunch
        return 0
    mean = rate * season
    return max(0, round(rng.gauss(mean, mean**0.5 if mean > 0 else 0)))


def _make_logins(demo, congregations, people_by_cong, password_hash):
    """Eight staff organizers and the leader logins, each with their own Person."""
    rng = demo["rng"]
    users, persons, memberships = [], [], []
    order = list(congregations)
    rng.shuffle(order)
    organizer_congs = [order[i :: len(ORGANIZERS)] for i in range(len(ORGANIZERS))]
    for n, (first, last) in enumerate(ORGANIZERS, start=2):
        users.append(
            User(
                email=f"organizer{n}@conect.example",
                first_name=first,
                last_name=last,
                role=Role.ORGANIZER,
                password=password_hash,
            )
        )
    leader_count = max(3, demo["people"] // 100)
    leader_homes = rng.choices(
        congregations,
        weights=[len(people_by_cong[c.pk]) + 1 for c in congregations],
        k=leader_count,
    )
    for n, home in enumerate(leader_homes, start=2):
        donor = rng.choice(people_by_cong[home.pk]) if people_by_cong[home.pk] else None
        users.append(
            User(
                email=f"leader{n}@conect.example",
                first_name=donor[1] if donor else "Demo",
                last_name=f"{donor[2] if donor else 'Leader'}",
                role=Role.LEADER,
                password=password_hash,
            )
        )
    users = User.objects.bulk_create(users, batch_size=BATCH)
    organizers, leaders = users[: len(ORGANIZERS)], users[len(ORGANIZERS) :]
    User.congregations.through.objects.bulk_create(
        [
            User.congregations.through(user_id=user.pk, congregation_id=c.pk)
            for user, congs in zip(organizers, organizer_congs, strict=True)
            for c in congs
        ]
    )
    homes = [congs[0] for congs in organizer_congs] + leader_homes
    for user, home in zip(users, homes, strict=True):
        level = Level.MEMBER
        if user.role == Role.LEADER:
            level = rng.choices([Level.LEADER, Level.CORE_TEAM, Level.KEY_LEADER], [6, 3, 1])[0]
        persons.append(
            Person(
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                user=user,
                town=home.town,
                zip=home.zip,
                level=level,
            )
        )
    persons = Person.objects.bulk_create(persons, batch_size=BATCH)
    for person, home in zip(persons, homes, strict=True):
        role = MembershipRole.CORE_TEAM if person.level != Level.MEMBER else MembershipRole.MEMBER
        memberships.append(Membership(person=person, congregation=home, role=role))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return organizers, organizer_congs, leaders, leader_homes, persons


def seed_relationships(demo: dict) -> str:
    """Issues vocabulary, demo organizers and leader logins, one-on-ones, house meetings and
    follow-ups over the last two years, by bulk inserts."""
    rng = demo["rng"]
    congregations = demo["congregations"]
    today = timezone.localdate()
    first_week = today - datetime.timedelta(days=today.weekday(), weeks=WEEKS - 1)
    scale = min(1.0, demo["people"] / 30_000)
    password_hash = make_password(demo["password"])

    issues = IssueHeard.objects.bulk_create([IssueHeard(name=name) for name in ISSUES])
    issue_weights = [ISSUES[i.name] for i in issues]

    home_of = dict(
        Membership.objects.filter(is_primary=True).values_list("person_id", "congregation_id")
    )
    people_by_cong: dict[int, list] = defaultdict(list)
    higher_by_cong: dict[int, list] = defaultdict(list)
    for pk, first, last, level in Person.objects.filter(user__isnull=True).values_list(
        "pk", "first_name", "last_name", "level"
    ):
        cid = home_of.get(pk)
        if cid is None:
            continue
        people_by_cong[cid].append((pk, first, last))
        if level in LEADER_LEVELS:
            higher_by_cong[cid].append(pk)

    organizers, organizer_congs, leaders, leader_homes, new_persons = _make_logins(
        demo, congregations, people_by_cong, password_hash
    )
    person_of_user = {p.user_id: p.pk for p in new_persons}
    for user in demo["users"].values():
        person_of_user.setdefault(
            user.pk, Person.objects.filter(user=user).values_list("pk", flat=True).first()
        )
    WeeklyTarget.objects.create(user=organizers[0], one_on_ones=12)
    # (author, congregations they work in, weekly rate, first active week)
    demo_users = demo["users"]
    lead_home = demo_users["lead"].congregations.first()
    authors = [(demo_users["organizer"], congregations, 9.0, 0)]
    authors += [
        (u, congs, rng.uniform(7, 11), 0)
        for u, congs in zip(organizers, organizer_congs, strict=True)
    ]
    if lead_home:
        authors.append((demo_users["lead"], [lead_home], 2.0, 0))
        authors.append((demo_users["leader"], [lead_home], 2.0, 20))
    for user, home in zip(leaders, leader_homes, strict=True):
        authors.append((user, [home], rng.uniform(1.2, 4.2), rng.randint(0, 60)))

    adapt_date = connection.ops.adapt_datefield_value
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    meetings: list[tuple] = []
    meeting_issues: list[tuple[int, int]] = []
    next_id = _next_id(OneOnOne) - 1
    for author, congs, rate, start in authors:
        rate *= scale
        met: list[int] = []
        author_person = person_of_user.get(author.pk)
        for week in range(start, WEEKS):
            monday = first_week + datetime.timedelta(weeks=week)
            for _ in range(_weekly(rng, rate, monday)):
                held_on = monday + datetime.timedelta(days=rng.randint(0, 6))
                if held_on > today:
                    continue
                if met and rng.random() < 0.3:
                    person_id = rng.choice(met)
                else:
                    if author.role == Role.LEADER and rng.random() < 0.12:
                        cid = rng.choice(congregations).pk  # a bridge to another congregation
                    else:
                        cid = rng.choice(congs).pk
                    if higher_by_cong[cid] and rng.random() < 0.35:
                        person_id = rng.choice(higher_by_cong[cid])
                    elif people_by_cong[cid]:
                        person_id = rng.choice(people_by_cong[cid])[0]
                    else:
                        continue
                    met.append(person_id)
                roll = rng.random()
                potential = (
                    "high"
                    if roll < 0.1
                    else "medium"
                    if roll < 0.35
                    else "low"
                    if roll < 0.65
                    else ""
                )
                next_id += 1
                meetings.append(
                    (
                        next_id,
                        author.pk,
                        author_person,
                        person_id,
                        home_of.get(person_id),
                        held_on,
                        rng.choice(PLACES),
                        rng.choice([20, 30, 30, 45, 45, 60]),
                        rng.choice(STORIES),
                        rng.random() < 0.1,
                        potential,
                        "",
                        created_at,
                    )
                )
                chosen = (
                    rng.choices(issues, weights=issue_weights, k=1)
                    if rng.random() < 0.5
                    else {*rng.choices(issues, weights=issue_weights, k=3)}
                )
                meeting_issues.extend((next_id, issue.pk) for issue in chosen)
    _insert(
        OneOnOne,
        [
            "id",
            "author_id",
            "author_person_id",
            "person_id",
            "congregation_id",
            "held_on",
            "place",
            "duration_minutes",
            "notes",
            "notes_shared_with_core_team",
            "potential",
            "next_step",
            "created_at",
        ],
        [(*row[:5], adapt_date(row[5]), *row[6:]) for row in meetings],
    )
    _insert(OneOnOne.issues.through, ["oneonone_id", "issueheard_id"], meeting_issues)
    _reset_sequences(OneOnOne)

    # House meetings: a couple a month across the network per 30,000 people, each 5-14 people.
    facilitators_by_cong: dict[int, list] = defaultdict(list)
    for user, home in zip(leaders, leader_homes, strict=True):
        facilitators_by_cong[home.pk].append(user.pk)
    for user, congs in zip(organizers, organizer_congs, strict=True):
        for c in congs:
            facilitators_by_cong[c.pk].append(user.pk)
    house_meetings, attendees, house_issues = [], [], []
    for congregation in congregations:
        pool = people_by_cong[congregation.pk]
        facilitators = facilitators_by_cong[congregation.pk] or [demo_users["organizer"].pk]
        count = round(rng.uniform(25, 55) * scale) if pool else 0
        for _ in range(count):
            held_on = first_week + datetime.timedelta(days=rng.randint(0, WEEKS * 7 - 1))
            if held_on > today:
                continue
            house_meetings.append(
                HouseMeeting(
                    congregation=congregation,
                    facilitator_id=rng.choice(facilitators),
                    held_on=held_on,
                    place=rng.choice(["fellowship hall", "a member's living room", "library"]),
                    notes=rng.choice(STORIES),
                )
            )
            attendees.append({p[0] for p in rng.sample(pool, k=min(len(pool), rng.randint(5, 14)))})
            house_issues.append(list({*rng.choices(issues, weights=issue_weights, k=3)}))
    house_meetings = HouseMeeting.objects.bulk_create(house_meetings, batch_size=BATCH)
    _insert(
        HouseMeeting.attendees.through,
        ["housemeeting_id", "person_id"],
        [
            (h.pk, pid)
            for h, people in zip(house_meetings, attendees, strict=True)
            for pid in sorted(people)
        ],
    )
    _insert(
        HouseMeeting.issues.through,
        ["housemeeting_id", "issueheard_id"],
        [
            (h.pk, i.pk)
            for h, chosen in zip(house_meetings, house_issues, strict=True)
            for i in sorted(chosen, key=lambda issue: issue.pk)
        ],
    )

    # Follow-ups: promised after 40% of one-on-ones; old ones are nearly all done.
    source_type = ContentType.objects.get_for_model(OneOnOne)
    follow_ups: list[tuple] = []
    for meeting_id, author_id, _ap, person_id, _c, held_on, *_rest in meetings:
        if rng.random() >= 0.4:
            continue
        due_on = held_on + datetime.timedelta(days=rng.choice([7, 7, 14, 14, 30]))
        age = (today - due_on).days
        # Long-past promises were kept (or closed); a few recent ones are still open.
        done = age > 45 or (age > 7 and rng.random() < 0.85) or (age >= 0 and rng.random() < 0.4)
        done_at = None
        if done:
            when = min(due_on + datetime.timedelta(days=rng.randint(-3, 3)), today)
            done_at = connection.ops.adapt_datetimefield_value(
                timezone.make_aware(
                    datetime.datetime.combine(when, datetime.time(rng.randint(8, 20)))
                )
            )
        follow_ups.append(
            (
                author_id,
                person_id,
                adapt_date(due_on),
                FollowUpSource.ONE_ON_ONE,
                source_type.pk,
                meeting_id,
                "",
                done_at,
                "",
                created_at,
            )
        )
    _insert(
        FollowUp,
        [
            "owner_id",
            "person_id",
            "due_on",
            "kind",
            "source_type_id",
            "source_id",
            "note",
            "done_at",
            "outcome",
            "created_at",
        ],
        follow_ups,
    )
    demo["logins"].append(
        ("organizer", "organizer2@conect.example", f"{len(organizer_congs[0])} congregations")
    )
    return (
        f"{len(meetings):,} one-on-ones, {len(house_meetings):,} house meetings, "
        f"{len(follow_ups):,} follow-ups; {len(organizers)} more organizers and "
        f"{len(leaders)} leader logins"
    )


def wipe_relationships() -> None:
    """Delete relational meetings (for seed_demo --reset); people and logins go with members."""
    for model in (
        FollowUp,
        OneOnOne.issues.through,
        OneOnOne,
        HouseMeeting.issues.through,
        HouseMeeting.attendees.through,
        HouseMeeting,
        IssueHeard,
        WeeklyTarget,
    ):
        model.objects.all().delete()
