"""The bench's network: the demo's shapes at any scale, loaded in minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/conect_bench_1m \\
        .venv/bin/python -m bench.seed --people 1000000

Like `seed_demo` (37 congregations, the four demo logins, eight more organizers, a leader login
per hundred people, two years of one-on-ones at each author's weekly cadence, house meetings,
follow-ups, campaigns, actions with pledges and attendance, two fiscal years of dues), but:

- the big tables are streamed with COPY (bench.load) with their indexes and foreign keys
  deferred and rebuilt once at the end, instead of bulk_create: 1,000,000 people in minutes;
- everything grows with the network: one-on-ones (about two per person: an author's cadence does
  not depend on the network's size, the number of leader logins does), house meetings, actions
  and their attendance (200 actions per 30,000 people);
- one action is the door of the bench: a recent assembly with 1,500 attendees checked in
  (`BIG_ACTION_TITLE`), and one is tonight's (`DOOR_ACTION_TITLE`), with RSVPs to check in;
- phone numbers use the whole exchange range (the demo's 10,000 numbers per area code would make
  every thousandth person share a phone at 1M, which no real directory does).

The small, ORM-written steps (congregations, logins, dues, campaigns) are the demo's own.
The command refuses a database whose name lacks "bench" and starts from an empty schema.
"""

import argparse
import bisect
import datetime
import itertools
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable

import psycopg
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from actions.demo import ASKS, CHANGE, KIND_WEIGHTS, PLACES, PUBLIC_KINDS, TRAININGS, WORKED
from actions.models import Action, ActionKind, Attendance, Evaluation, EvaluationKind, TurnoutPledge
from campaigns.demo import seed_campaigns
from campaigns.models import Answer, Commitment, CommitmentStatus
from conect.access import Role
from conect.ladder import LEADER_LEVELS, Level
from congregations.demo import ZIP_BY_TOWN, congregation_profile, seed_congregations, seed_dues
from congregations.models import Membership, MembershipRole
from members.demo import (
    AREA_CODES,
    DEMO_PASSWORD,
    FIRST,
    LADDER,
    LAST,
    OTHER_LANGUAGE,
    TAGS,
    _ascii,
    seed_logins,
)
from members.models import Language, LeadershipChange, Person, Tag, User
from relationships.demo import ISSUES, ORGANIZERS, STORIES, _weekly
from relationships.demo import PLACES as MEETING_PLACES
from relationships.models import (
    FollowUp,
    FollowUpSource,
    HouseMeeting,
    IssueHeard,
    OneOnOne,
    WeeklyTarget,
)
from relationships.tallies import every_tally_counted

from .bulk import Loader, deferred_indexes

BIG_ACTION_TITLE = "Annual assembly"
BIG_ACTION_ATTENDEES = 1500
DOOR_ACTION_TITLE = "Accountability session: door check-in"
WEEKS = 104
ACTIONS_PER_30K = 200
# The tables bulk-loaded here: their indexes and foreign keys are rebuilt once, after the load.
BIG_TABLES = [
    "members_person",
    "members_person_tags",
    "members_leadershipchange",
    "members_user",
    "congregations_membership",
    "relationships_oneonone",
    "relationships_oneonone_issues",
    "relationships_housemeeting",
    "relationships_housemeeting_attendees",
    "relationships_housemeeting_issues",
    "relationships_followup",
    "actions_action",
    "actions_action_congregations",
    "actions_turnoutpledge",
    "actions_attendance",
    "actions_evaluation",
    "campaigns_commitment",
]


def _choice(r, items):
    """rng.choice(items) from rng.random (r), three times cheaper in the hot loops."""
    return items[int(r() * len(items))]


def _between(r, low: int, high: int) -> int:
    """rng.randint(low, high) from rng.random (r)."""
    return low + int(r() * (high - low + 1))


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, items: list, cum: list[float]):
    """rng.choices(items, cum_weights=cum)[0] without the list: the hot loops call it millions
    of times."""
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def seed(people: int, seed_value: int = 2026, log=print) -> dict:
    """Fill an empty, migrated database; returns the row counts by table."""

    loader = Loader(connection, log=log)
    demo: dict = {
        "rng": random.Random(seed_value),
        "people": people,
        "password": DEMO_PASSWORD,
        "logins": [],
    }
    steps: list[tuple[str, Callable[[], str | None]]] = [
        ("congregations", lambda: seed_congregations(demo)),
        ("logins", lambda: seed_logins(demo)),
        ("dues", lambda: seed_dues(demo)),
        ("campaigns", lambda: seed_campaigns(demo)),
    ]
    # Indexes and foreign keys go before the first row and come back once the rows are committed
    # (built in parallel then); inside a caller's transaction (the tests) all of it stays in it.
    with deferred_indexes(connection, BIG_TABLES, log=log), transaction.atomic():
        for name, step in [
            *steps,
            ("people", lambda: _people(demo, loader)),
            ("relationships", lambda: _relationships(demo, loader)),
            ("actions", lambda: _actions(demo, loader)),
        ]:
            started = time.perf_counter()
            line = step()
            log(f"  {name}: {line or 'done'} ({time.perf_counter() - started:.1f} s)")
        _reset_sequences()
    started = time.perf_counter()
    every_tally_counted()
    log(f"  tallies: {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"  analyze: {time.perf_counter() - started:.1f} s")
    return loader.counts


def _reset_sequences() -> None:

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _next_id(model) -> int:

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


# --- People ---------------------------------------------------------------------------------


def _people(demo: dict, loader: Loader) -> None:
    """demo["people"] people with the demo's names, languages, ladder, memberships, ladder
    history and tags; leaves demo["members"] (person ids by primary congregation) and
    demo["higher"] (leader-and-up person ids by congregation)."""

    rng, count = demo["rng"], demo["people"]
    r = rng.random
    congregations = demo["congregations"]
    profiles = [congregation_profile(c.name) for c in congregations]
    cong_cum = _cumulative(size for _pools, size in profiles)
    pool_picks = [(list(pools), _cumulative(pools.values())) for pools, _size in profiles]
    towns = sorted(ZIP_BY_TOWN)
    rungs = [level for level, _w in LADDER]
    ladder_cum = _cumulative(w for _level, w in LADDER)
    tags = list(Tag.objects.bulk_create([Tag(name=name) for name in TAGS]))
    ascii_of: dict[str, str] = {}
    now = loader.now
    first_id = _next_id(Person)
    homes: list[int] = []  # index into congregations, by person offset
    levels: list[str] = []

    def people_rows():
        for offset in range(count):
            index = bisect.bisect(cong_cum, r() * cong_cum[-1])
            congregation = congregations[index]
            pool = _pick(rng, *pool_picks[index])
            first, last = _choice(r, FIRST[pool]), _choice(r, LAST[pool])
            language = Language.ENGLISH
            if pool in OTHER_LANGUAGE and r() < OTHER_LANGUAGE[pool][1]:
                language = OTHER_LANGUAGE[pool][0]
            town = congregation.town if r() < 0.7 else _choice(r, towns)
            level = _pick(rng, rungs, ladder_cum)
            has_email = r() < 0.72
            email = ""
            if has_email:
                a = ascii_of.get(first) or ascii_of.setdefault(first, _ascii(first))
                b = ascii_of.get(last) or ascii_of.setdefault(last, _ascii(last))
                email = f"{a}.{b}{_between(r, 1, 99999)}@example.org".replace(" ", "")
            phone = ""
            if r() < 0.8:
                phone = (
                    f"+1{_choice(r, AREA_CODES)}{_between(r, 200, 999)}{_between(r, 0, 9999):04d}"
                )
            homes.append(index)
            levels.append(level)
            yield (
                first_id + offset,
                first,
                last,
                email,
                phone,
                f"{_between(r, 1, 400)} {_choice(r, STREETS)} St",
                town,
                ZIP_BY_TOWN[town],
                language,
                level,
                has_email and r() < 0.95,
                r() < 0.5,
                r() < 0.01,
            )

    loader.load(
        Person,
        [
            "id",
            *("first_name", "last_name", "email", "phone", "street", "town", "zip"),
            *("language", "level", "email_ok", "sms_ok", "do_not_contact"),
        ],
        people_rows(),
    )

    members: dict[int, list[int]] = defaultdict(list)
    higher: dict[int, list[int]] = defaultdict(list)
    core_levels = {"core_team", "key_leader"}
    leader_levels = {str(level) for level in LEADER_LEVELS}
    memberships, changes, tag_links = [], [], []
    for offset, (index, level) in enumerate(zip(homes, levels, strict=True)):
        person_id = first_id + offset
        cid = congregations[index].pk
        members[cid].append(person_id)
        if level in leader_levels:
            higher[cid].append(person_id)
        role = MembershipRole.CORE_TEAM if level in core_levels else MembershipRole.MEMBER
        memberships.append((person_id, cid, True, role))
        if r() < 0.03:  # some people belong to two congregations
            other = _choice(r, congregations).pk
            if other != cid:
                memberships.append((person_id, other, False, MembershipRole.MEMBER))
        climbed = rungs.index(Level(level))
        when = now - datetime.timedelta(days=_between(r, 400, 3000))
        for step in range(1, climbed + 1):
            when += datetime.timedelta(days=_between(r, 60, 360))
            changes.append((person_id, rungs[step - 1], rungs[step], min(when, now)))
        if r() < 0.15:
            tag_links.append((person_id, _choice(r, tags).pk))
    loader.load(Membership, ["person_id", "congregation_id", "is_primary", "role"], memberships)
    loader.load(LeadershipChange, ["person_id", "from_level", "to_level", "changed_at"], changes)
    loader.load(Person.tags.through, ["person_id", "tag_id"], tag_links)
    demo["members"], demo["higher"] = members, higher


STREETS = ["Oak", "Pine", "Cedar", "Grove", "Summer", "Union"]


# --- Logins and relational meetings --------------------------------------------------------


def _logins(demo: dict, loader: Loader) -> tuple[list, list, dict[int, int]]:
    """The eight more organizers and a leader login per hundred people, each with their own
    Person and primary membership, by COPY. Returns (organizers as (user id, congregation ids)),
    (leaders as (user id, home congregation id)), and person id by user id (every login's)."""

    rng, congregations = demo["rng"], demo["congregations"]
    r = rng.random
    members = demo["members"]
    password = make_password(demo["password"])
    order = list(congregations)
    rng.shuffle(order)
    organizer_congs = [[c.pk for c in order[i :: len(ORGANIZERS)]] for i in range(len(ORGANIZERS))]
    by_pk = {c.pk: c for c in congregations}
    leader_count = max(3, demo["people"] // 100)
    weights = _cumulative(len(members[c.pk]) + 1 for c in congregations)
    leader_homes = [_pick(rng, congregations, weights).pk for _ in range(leader_count)]
    user_id, person_id = _next_id(User), _next_id(Person)
    users, persons, memberships, links = [], [], [], []
    organizers, leaders = [], []
    for n, (first, last) in enumerate(ORGANIZERS, start=2):
        congs = organizer_congs[n - 2]
        users.append((user_id, f"organizer{n}@conect.example", first, last, Role.ORGANIZER))
        persons.append((person_id, first, last, f"organizer{n}@conect.example", Level.MEMBER))
        memberships.append((person_id, congs[0], MembershipRole.MEMBER))
        links += [(user_id, cid) for cid in congs]
        organizers.append((user_id, congs))
        user_id, person_id = user_id + 1, person_id + 1
    for n, home in enumerate(leader_homes, start=2):
        level = _pick(rng, [Level.LEADER, Level.CORE_TEAM, Level.KEY_LEADER], [6, 9, 10])
        first, last = _choice(r, FIRST_LEADERS), _choice(r, LAST_LEADERS)
        email = f"leader{n}@conect.example"
        users.append((user_id, email, first, last, Role.LEADER))
        persons.append((person_id, first, last, email, level))
        memberships.append((person_id, home, MembershipRole.CORE_TEAM))
        leaders.append((user_id, home))
        user_id, person_id = user_id + 1, person_id + 1
    loader.load(
        User,
        ["id", "email", "first_name", "last_name", "role", "password"],
        ((*row, password) for row in users),
    )
    person_of_user = {row[0]: p[0] for row, p in zip(users, persons, strict=True)}
    loader.load(
        Person,
        ["id", "first_name", "last_name", "email", "level", "user_id", "town", "zip"],
        (
            (*p, row[0], by_pk[m[1]].town, by_pk[m[1]].zip)
            for row, p, m in zip(users, persons, memberships, strict=True)
        ),
    )
    loader.load(Membership, ["person_id", "congregation_id", "role"], memberships)
    loader.load(User.congregations.through, ["user_id", "congregation_id"], links)
    WeeklyTarget.objects.create(user_id=organizers[0][0], one_on_ones=12)
    for user in demo["users"].values():
        person_of_user[user.pk] = Person.objects.filter(user=user).values_list("pk", flat=True)[0]
    return organizers, leaders, person_of_user


FIRST_LEADERS = ["Gloria", "Andre", "María", "Jamal", "Ruth", "Samuel", "Imani", "Luis", "Noor"]
LAST_LEADERS = ["Banks", "Freeman", "Rivera", "Cohen", "Okafor", "Singh", "Pierre", "Kim", "Reyes"]


def _relationships(demo: dict, loader: Loader) -> None:
    """Issues, logins, two years of one-on-ones at each author's cadence, house meetings and
    follow-ups, all by COPY."""

    rng, congregations = demo["rng"], demo["congregations"]
    r = rng.random
    members, higher = demo["members"], demo["higher"]
    home_of = {pid: cid for cid, ids in members.items() for pid in ids}
    today = timezone.localdate()
    first_week = today - datetime.timedelta(days=today.weekday(), weeks=WEEKS - 1)
    issues = IssueHeard.objects.bulk_create([IssueHeard(name=name) for name in ISSUES])
    issue_ids = [i.pk for i in issues]
    issue_cum = _cumulative(ISSUES[i.name] for i in issues)
    organizers, leaders, person_of_user = _logins(demo, loader)

    users = demo["users"]
    all_congs = [c.pk for c in congregations]
    lead_home = users["lead"].congregations.values_list("pk", flat=True)[0]
    # (author id, role, congregations they work in, weekly rate, first active week)
    authors = [(users["organizer"].pk, Role.ORGANIZER, all_congs, 9.0, 0)]
    authors += [(uid, Role.ORGANIZER, congs, rng.uniform(7, 11), 0) for uid, congs in organizers]
    authors.append((users["lead"].pk, Role.LEAD, [lead_home], 2.0, 0))
    authors.append((users["leader"].pk, Role.LEADER, [lead_home], 2.0, 20))
    authors += [
        (uid, Role.LEADER, [home], rng.uniform(1.2, 4.2), _between(r, 0, 60))
        for uid, home in leaders
    ]
    source_type = ContentType.objects.get_for_model(OneOnOne).pk
    meeting_id = _next_id(OneOnOne) - 1
    meeting_issues: list[tuple[int, int]] = []
    follow_ups: list[tuple] = []
    potentials = ["high", "medium", "low", ""]
    potential_cum = [0.1, 0.35, 0.65, 1.0]
    durations = [20, 30, 30, 45, 45, 60]

    def meetings():
        nonlocal meeting_id
        for author, role, congs, rate, start in authors:
            met: list[int] = []
            author_person = person_of_user.get(author)
            for week in range(start, WEEKS):
                monday = first_week + datetime.timedelta(weeks=week)
                for _ in range(_weekly(rng, rate, monday)):
                    held_on = monday + datetime.timedelta(days=_between(r, 0, 6))
                    if held_on > today:
                        continue
                    if met and r() < 0.3:
                        person_id = _choice(r, met)
                    else:
                        if role == Role.LEADER and r() < 0.12:
                            cid = _choice(r, all_congs)  # a bridge to another congregation
                        else:
                            cid = _choice(r, congs)
                        if higher[cid] and r() < 0.35:
                            person_id = _choice(r, higher[cid])
                        elif members[cid]:
                            person_id = _choice(r, members[cid])
                        else:
                            continue
                        met.append(person_id)
                    meeting_id += 1
                    heard = (
                        [_pick(rng, issue_ids, issue_cum)]
                        if r() < 0.5
                        else {_pick(rng, issue_ids, issue_cum) for _ in range(3)}
                    )
                    meeting_issues.extend((meeting_id, issue) for issue in heard)
                    if r() < 0.4:  # a follow-up was promised
                        promise = _follow_up(rng, today, author, person_id, held_on)
                        follow_ups.append((*promise, source_type, meeting_id))
                    yield (
                        meeting_id,
                        author,
                        author_person,
                        person_id,
                        home_of.get(person_id),
                        held_on,
                        _choice(r, MEETING_PLACES),
                        _choice(r, durations),
                        _choice(r, STORIES),
                        r() < 0.1,
                        _pick(rng, potentials, potential_cum),
                    )

    loader.load(
        OneOnOne,
        [
            *("id", "author_id", "author_person_id", "person_id", "congregation_id"),
            *("held_on", "place", "duration_minutes", "notes", "notes_shared_with_core_team"),
            "potential",
        ],
        meetings(),
    )
    loader.load(OneOnOne.issues.through, ["oneonone_id", "issueheard_id"], meeting_issues)
    meeting_issues.clear()  # memory, at 1M
    loader.load(
        FollowUp,
        ["owner_id", "person_id", "due_on", "done_at", "kind", "source_type_id", "source_id"],
        ((*row[:4], FollowUpSource.ONE_ON_ONE, *row[4:]) for row in follow_ups),
    )
    _house_meetings(demo, loader, first_week, today, organizers, leaders, issue_ids, issue_cum)


def _follow_up(rng, today, owner, person_id, held_on) -> tuple:
    """A promise made at a meeting: long-past ones were kept, a few recent ones are open."""
    r = rng.random

    due_on = held_on + datetime.timedelta(days=_choice(r, [7, 7, 14, 14, 30]))
    age = (today - due_on).days
    done = age > 45 or (age > 7 and r() < 0.85) or (age >= 0 and r() < 0.4)
    done_at = None
    if done:
        when = min(due_on + datetime.timedelta(days=_between(r, -3, 3)), today)
        done_at = timezone.make_aware(
            datetime.datetime.combine(when, datetime.time(_between(r, 8, 20)))
        )
    return (owner, person_id, due_on, done_at)


def _house_meetings(demo, loader, first_week, today, organizers, leaders, issue_ids, issue_cum):
    """25–55 house meetings per congregation per 30,000 people, 5–14 people each."""

    rng, members = demo["rng"], demo["members"]
    r = rng.random
    scale = demo["people"] / 30_000
    facilitators: dict[int, list[int]] = defaultdict(list)
    for uid, home in leaders:
        facilitators[home].append(uid)
    for uid, congs in organizers:
        for cid in congs:
            facilitators[cid].append(uid)
    meeting_id = _next_id(HouseMeeting) - 1
    attendees, heard = [], []
    rows = []
    places = ["fellowship hall", "a member's living room", "library"]
    for congregation in demo["congregations"]:
        pool = members[congregation.pk]
        if not pool:
            continue
        hosts = facilitators[congregation.pk] or [demo["users"]["organizer"].pk]
        for _ in range(max(1, round(rng.uniform(25, 55) * scale))):
            held_on = first_week + datetime.timedelta(days=_between(r, 0, WEEKS * 7 - 1))
            if held_on > today:
                continue
            meeting_id += 1
            rows.append(
                (
                    meeting_id,
                    congregation.pk,
                    _choice(r, hosts),
                    held_on,
                    _choice(r, places),
                    _choice(r, STORIES),
                )
            )
            came = {_choice(r, pool) for _ in range(_between(r, 5, 14))}
            attendees += [(meeting_id, pid) for pid in sorted(came)]
            chosen = {_pick(rng, issue_ids, issue_cum) for _ in range(3)}
            heard += [(meeting_id, issue) for issue in sorted(chosen)]
    loader.load(
        HouseMeeting,
        ["id", "congregation_id", "facilitator_id", "held_on", "place", "notes"],
        rows,
    )
    loader.load(HouseMeeting.attendees.through, ["housemeeting_id", "person_id"], attendees)
    loader.load(HouseMeeting.issues.through, ["housemeeting_id", "issueheard_id"], heard)


# --- Actions --------------------------------------------------------------------------------


def _actions(demo: dict, loader: Loader) -> None:
    """200 actions per 30,000 people over two years (most past), each with its congregations'
    pledges, invitations, RSVPs and check-ins, group and formal evaluations and the commitments
    officials made; plus the bench's big assembly and tonight's door."""

    rng, members = demo["rng"], demo["members"]
    r = rng.random
    organizer = demo["users"]["organizer"].pk
    campaigns, targets = demo["campaigns"], [t.pk for t in demo["targets"]]
    today, now = timezone.localdate(), timezone.now()
    count = max(20, round(ACTIONS_PER_30K * demo["people"] / 30_000))
    kinds, kind_cum = list(KIND_WEIGHTS), _cumulative(KIND_WEIGHTS.values())
    goals = {ActionKind.ASSEMBLY: 1200, ActionKind.PUBLIC_ACTION: 400}
    goals[ActionKind.ACCOUNTABILITY] = 300
    action_id = _next_id(Action) - 1
    actions, links, pledges, attendance, evaluations, commitments = [], [], [], [], [], []

    def add_action(kind, title, campaign, starts, chosen, invited_per_cong=None):
        nonlocal action_id
        action_id += 1
        goal = goals.get(kind, 40)
        created = starts - datetime.timedelta(days=30)
        actions.append(
            (
                action_id,
                kind,
                title,
                campaign.pk if campaign else None,
                starts,
                starts + datetime.timedelta(hours=2),
                _choice(r, PLACES),
                goal,
                "Welcome and prayer · Stories · The ask · Commitments · Evaluation",
                organizer,
                created,
            )
        )
        past = starts < now
        turnout = 0
        for cid in chosen:
            links.append((action_id, cid))
            pledged = max(3, int(goal / len(chosen) * rng.uniform(0.6, 1.2)))
            pledges.append((action_id, cid, pledged, organizer, created))
            pool = members.get(cid, [])
            wanted = invited_per_cong or int(pledged * 1.5)
            invited = rng.sample(pool, min(len(pool), wanted))
            rsvp_yes = int(pledged * rng.uniform(0.6, 1.0)) if not invited_per_cong else wanted
            came = int(pledged * rng.uniform(0.5, 1.15)) if past else 0
            if invited_per_cong and past:
                came = len(invited)
            turnout += min(came, len(invited))
            for n, pid in enumerate(invited):
                rsvp = "yes" if n < rsvp_yes else _choice(r, ["invited", "maybe", "no"])
                checked = starts + datetime.timedelta(minutes=_between(r, -20, 30))
                attendance.append(
                    (action_id, pid, cid, rsvp, created, organizer, checked if n < came else None)
                )
        ends = starts + datetime.timedelta(hours=2)
        if past and ends.date() < today - datetime.timedelta(days=1) and r() < 0.9:
            held = timezone.localdate(ends) + datetime.timedelta(days=_between(r, 0, 2))
            evaluations.append(
                (action_id, EvaluationKind.GROUP, held, organizer, turnout, goal)
                + (_choice(r, WORKED), _choice(r, CHANGE), "See commitments")
            )
            if kind in PUBLIC_KINDS and r() < 0.7:
                evaluations.append(
                    (action_id, EvaluationKind.FORMAL, held + datetime.timedelta(days=8))
                    + (organizer, turnout, goal, _choice(r, WORKED), _choice(r, CHANGE), "")
                )
        if past and kind in PUBLIC_KINDS:
            for target in rng.sample(targets, _between(r, 1, 3)):
                answer = _pick(
                    rng, [Answer.YES, Answer.PARTIAL, Answer.NO, Answer.NO_ANSWER], [5, 7, 8, 9]
                )
                due = timezone.localdate(starts) + datetime.timedelta(days=_between(r, 30, 180))
                status, evidence = CommitmentStatus.OPEN, ""
                if answer in (Answer.YES, Answer.PARTIAL) and due < today:
                    kept = r() < 0.75
                    status = CommitmentStatus.KEPT if kept else CommitmentStatus.BROKEN
                    evidence = "Budget line adopted" if kept else "Not in the adopted budget"
                commitments.append(
                    (target, campaign.pk if campaign else None, action_id, _choice(r, ASKS))
                    + (answer, due, status)
                    + (evidence, organizer, ends)
                )

    for i in range(count):
        past = i < count * 0.86
        day = (
            today - datetime.timedelta(days=_between(r, 3, 730))
            if past
            else today + datetime.timedelta(days=_between(r, 1, 90))
        )
        kind = _pick(rng, kinds, kind_cum)
        theme = _choice(r, campaigns) if r() < 0.8 else None
        pool = demo["campaign_congregations"][theme.pk] if theme else demo["congregations"]
        size = _between(r, 2, 8) if kind != ActionKind.ASSEMBLY else 14
        chosen = [c.pk for c in rng.sample(pool, min(len(pool), size))]
        about = theme.name if theme else None
        title = {
            ActionKind.ASSEMBLY: "Network assembly",
            ActionKind.PUBLIC_ACTION: f"{about or 'Justice'} public action",
            ActionKind.ACCOUNTABILITY: f"Accountability session: {about or 'our city'}",
            ActionKind.TRAINING: _choice(r, TRAININGS),
            ActionKind.RESEARCH: f"Research action: {about or 'listening results'}",
        }[kind]
        add_action(kind, title, theme, _evening(rng, day), chosen)

    # The bench's action pages: 1,500 attendees two days ago; tonight's door with RSVPs.
    biggest = sorted(demo["congregations"], key=lambda c: -len(members.get(c.pk, [])))
    chosen = [c.pk for c in biggest[:10]]  # 150 from each of the ten largest congregations
    add_action(
        ActionKind.ASSEMBLY,
        BIG_ACTION_TITLE,
        campaigns[0],
        _evening(rng, today - datetime.timedelta(days=2)),
        chosen,
        invited_per_cong=BIG_ACTION_ATTENDEES // len(chosen),
    )
    tonight = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 0)))
    lead_home = demo["users"]["lead"].congregations.values_list("pk", flat=True)[0]
    add_action(
        ActionKind.ACCOUNTABILITY,
        DOOR_ACTION_TITLE,
        campaigns[0],
        tonight,
        [lead_home, *[c for c in chosen if c != lead_home][:3]],
        invited_per_cong=250,
    )

    loader.load(
        Action,
        [
            *("id", "kind", "title", "campaign_id", "starts_at", "ends_at", "place"),
            *("turnout_goal", "agenda", "created_by_id", "created_at"),
        ],
        actions,
    )
    loader.load(Action.congregations.through, ["action_id", "congregation_id"], links)
    loader.load(
        TurnoutPledge,
        ["action_id", "congregation_id", "pledged", "pledged_by_id", "updated_at"],
        pledges,
    )
    loader.load(
        Attendance,
        [
            *("action_id", "person_id", "congregation_id", "rsvp", "invited_at"),
            *("invited_by_id", "checked_in_at"),
        ],
        attendance,
    )
    loader.load(
        Evaluation,
        [
            *("action_id", "kind", "held_on", "author_id", "turnout", "turnout_goal"),
            *("what_worked", "what_to_change", "asks_answered"),
        ],
        evaluations,
    )
    loader.load(
        Commitment,
        [
            *("target_id", "campaign_id", "action_id", "ask", "answer", "due_on", "status"),
            *("evidence", "recorded_by_id", "created_at"),
        ],
        commitments,
    )


def _evening(rng: random.Random, day: datetime.date) -> datetime.datetime:
    r = rng.random

    hour = 10 if day.weekday() == 5 else _choice(r, [18, 18, 19, 19])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- Command line ---------------------------------------------------------------------------


def _empty_schema() -> None:
    """Start from nothing: drop and recreate the public schema, then migrate."""

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def _create_database(name: str) -> None:
    """CREATE DATABASE when the bench database does not exist yet."""

    params = settings.DATABASES["default"]
    server = psycopg.connect(
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    with server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            server.execute(f'CREATE DATABASE "{name}"')


def refuse_unless_scratch(name: str) -> None:
    """The seeder empties the database it is given: only one named for the bench."""
    if "bench" not in name:
        sys.exit(f"refusing: {name!r} lacks 'bench' (point DATABASE_URL at a scratch database)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench seed", description=__doc__)
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    name = str(settings.DATABASES["default"]["NAME"])
    refuse_unless_scratch(name)
    if connection.vendor == "postgresql":
        _create_database(name)
    started = time.perf_counter()
    _empty_schema()
    print(f"schema ready in {time.perf_counter() - started:.1f} s; seeding {args.people:,} people")
    seeded = time.perf_counter()
    counts = seed(args.people, args.seed)
    elapsed = time.perf_counter() - seeded
    print(f"seeded {sum(counts.values()):,} bulk rows in {elapsed:.1f} s")
    print(f"total (schema, migrations and seed): {time.perf_counter() - started:.1f} s")
