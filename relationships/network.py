"""The relationship map's data: three small graphs instead of one hairball.

- `network_view`: the congregations the user may see, as nodes, and the one-on-ones that cross
  between them, as weighted edges (marked when they cross faith traditions). One grouped query
  over the scoped meetings, whatever the size of the network.
- `congregation_view`: one congregation's most connected people, the meetings among them, and
  their ties to other congregations (one edge per other congregation).
- `ego_view`: one person and the people they met or who met them.

Plus `bridge_people`, the people whose one-on-ones reach the most other congregations.

Every read starts from relationships.selectors / members.selectors, so scope holds; notes are never
read. A staff organizer's meetings are their job, not a bridge: they are left out of edges and
bridges (their count is reported apart).
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, F, Q, QuerySet

from conect import access
from congregations.models import Congregation, Membership
from congregations.selectors import congregations_visible_to, primary_congregation_ids
from members.models import Person
from members.selectors import people_visible_to

from .models import OneOnOne
from .selectors import local_today, one_on_ones_visible_to

STAFF_ROLES = list(access.ORGANIZING_STAFF_ROLES)
CONGREGATION_MAX_PEOPLE = 60  # a congregation's view: its most connected people
EGO_MAX_PEOPLE = 60
BRIDGE_LIST = 20
STRONG_TIES = 3  # the network view draws each congregation's three strongest ties at first
DEFAULT_DAYS = 365
AUTHOR_HOME = "author_person__memberships__congregation_id"


def period(since=None, until=None) -> tuple[datetime.date, datetime.date]:
    until = until or local_today()
    return since or until - datetime.timedelta(days=DEFAULT_DAYS), until


def _meetings(user, since, until) -> QuerySet[OneOnOne]:
    """Scoped one-on-ones in the period whose author has a Person (the map links people)."""
    return one_on_ones_visible_to(user).filter(
        held_on__gte=since, held_on__lte=until, author_person__isnull=False
    )


def _peer_meetings(user, since, until) -> QuerySet[OneOnOne]:
    """The meetings that can be bridges: held by someone who is not staff, with the author's
    primary congregation joined in (one join, read by `AUTHOR_HOME`)."""
    return (
        _meetings(user, since, until)
        .exclude(author__role__in=STAFF_ROLES)
        .filter(author_person__memberships__is_primary=True, congregation__isnull=False)
    )


def _congregation_node(c: Congregation, **extra) -> dict:
    return {
        "id": f"c{c.pk}",
        "kind": "congregation",
        "label": c.name,
        "tradition": c.tradition,
        "slug": c.slug,
        **extra,
    }


def network_view(user, *, since=None, until=None) -> dict:
    """Congregations and the one-on-ones between them: 37 nodes, at most 37·36/2 edges."""
    since, until = period(since, until)
    congregations = {c.pk: c for c in congregations_visible_to(user).order_by("name")}
    pairs = (
        _peer_meetings(user, since, until)
        .order_by()
        .values_list(AUTHOR_HOME, "congregation_id")
        .annotate(n=Count("id"))
    )
    within: Counter = Counter()
    across: Counter = Counter()
    for a, b, n in pairs:
        if a not in congregations or b not in congregations:
            continue  # the other end is outside the user's scope
        if a == b:
            within[a] += n
        else:
            across[(min(a, b), max(a, b))] += n
    staff = _meetings(user, since, until).filter(author__role__in=STAFF_ROLES).count()
    people = dict(
        Membership.objects.filter(is_primary=True, congregation_id__in=list(congregations))
        .order_by()
        .values_list("congregation_id")
        .annotate(n=Count("id"))
    )
    nodes = [
        _congregation_node(c, people=people.get(pk, 0), within=within.get(pk, 0))
        for pk, c in congregations.items()
    ]
    edges: list[dict] = []
    ties: Counter = Counter()
    for (a, b), n in sorted(across.items(), key=lambda item: (-item[1], item[0])):
        interfaith = congregations[a].tradition != congregations[b].tradition
        # Strong: among the strongest few of either end; the rest wait behind "every tie".
        strong = ties[a] < STRONG_TIES or ties[b] < STRONG_TIES
        ties[a] += 1
        ties[b] += 1
        edges.append(
            {
                "source": f"c{a}",
                "target": f"c{b}",
                "n": n,
                "interfaith": interfaith,
                "strong": strong,
            }
        )
    return {
        "view": "network",
        "since": since.isoformat(),
        "until": until.isoformat(),
        "nodes": nodes,
        "edges": edges,
        "bridges": len(edges),
        "interfaith_bridges": sum(1 for e in edges if e["interfaith"]),
        "staff_meetings": staff,
    }


def _person_nodes(people: QuerySet[Person], degree: Counter, home: dict, congregations) -> list:
    nodes = []
    for pk, first, last, level in people.values_list("pk", "first_name", "last_name", "level"):
        congregation = congregations.get(home.get(pk))
        nodes.append(
            {
                "id": f"p{pk}",
                "kind": "person",
                "pk": pk,
                "label": f"{first} {last}".strip(),
                "level": level,
                "tradition": congregation.tradition if congregation else "",
                "congregation": congregation.name if congregation else "",
                "n": degree.get(pk, 0),
            }
        )
    return nodes


def _pair_counts(meetings: QuerySet[OneOnOne]) -> Counter:
    """{(author person, person): meetings} in one grouped query."""
    rows = (
        meetings.order_by()
        .values_list("author_person_id", "person_id")
        .annotate(n=Count("id"))
        .values_list("author_person_id", "person_id", "n")
    )
    return Counter({(a, b): n for a, b, n in rows if a != b})


def congregation_view(user, congregation: Congregation, *, since=None, until=None) -> dict:
    """One congregation: its most connected people (whom the user may see), the meetings among
    them, and one weighted edge from a person to each other congregation they reach."""
    since, until = period(since, until)
    members = Membership.objects.filter(congregation=congregation, is_primary=True)
    own = Q(person_id__in=members.values("person_id")) | Q(
        author_person_id__in=members.values("person_id")
    )
    pairs = _pair_counts(_meetings(user, since, until).filter(own))
    ids = {pid for pair in pairs for pid in pair}
    home = primary_congregation_ids(ids)
    degree: Counter = Counter()
    for (a, b), n in pairs.items():
        for pid in (a, b):
            if home.get(pid) == congregation.pk:
                degree[pid] += n
    visible = set(
        people_visible_to(user)
        .filter(pk__in=[pid for pid, _n in degree.most_common()])
        .values_list("pk", flat=True)
    )
    chosen = [pid for pid, _n in degree.most_common() if pid in visible][:CONGREGATION_MAX_PEOPLE]
    chosen_set = set(chosen)
    others = {cid for cid in home.values() if cid != congregation.pk}
    congregations = {
        c.pk: c for c in congregations_visible_to(user).filter(pk__in=[congregation.pk, *others])
    }
    nodes = [_congregation_node(congregation, center=True)]
    nodes += _person_nodes(Person.objects.filter(pk__in=chosen), degree, home, congregations)
    edges = []
    reach: Counter = Counter()
    for (a, b), n in pairs.items():
        if a in chosen_set and b in chosen_set:
            edges.append({"source": f"p{a}", "target": f"p{b}", "n": n, "interfaith": False})
            continue
        for inside, outside in ((a, b), (b, a)):
            other = home.get(outside)
            if inside in chosen_set and other in congregations and other != congregation.pk:
                reach[(inside, other)] += n
    for cid in {other for _p, other in reach}:
        nodes.append(_congregation_node(congregations[cid]))
    for (pid, cid), n in reach.items():
        interfaith = congregations[cid].tradition != congregation.tradition
        edges.append({"source": f"p{pid}", "target": f"c{cid}", "n": n, "interfaith": interfaith})
    for pid in chosen:  # each person hangs off their congregation
        edges.append({"source": f"c{congregation.pk}", "target": f"p{pid}", "n": 0, "member": True})
    return {
        "view": "congregation",
        "title": congregation.name,
        "nodes": nodes,
        "edges": edges,
        "people": len(degree),
        "shown": len(chosen),
    }


def ego_view(user, person: Person, *, since=None, until=None) -> dict:
    """A person's own network: the people they met or who met them (whom the user may see),
    and the meetings among those people."""
    since, until = period(since, until)
    meetings = _meetings(user, since, until)
    own = _pair_counts(meetings.filter(Q(person=person) | Q(author_person=person)))
    degree: Counter = Counter()
    for (a, b), n in own.items():
        degree[b if a == person.pk else a] += n
    visible = set(people_visible_to(user).filter(pk__in=list(degree)).values_list("pk", flat=True))
    chosen = [pid for pid, _n in degree.most_common() if pid in visible][:EGO_MAX_PEOPLE]
    among = _pair_counts(meetings.filter(author_person_id__in=chosen, person_id__in=chosen))
    home = primary_congregation_ids([person.pk, *chosen])
    congregations = congregations_visible_to(user).in_bulk(list(set(home.values())))
    everyone = Person.objects.filter(pk__in=[person.pk, *chosen])
    nodes = _person_nodes(everyone, degree, home, congregations)
    for node in nodes:
        node["center"] = node["pk"] == person.pk
    edges = []
    center = congregations.get(home.get(person.pk))
    for pid in chosen:
        other = congregations.get(home.get(pid))
        interfaith = bool(center and other and center.tradition != other.tradition)
        edges.append(
            {
                "source": f"p{person.pk}",
                "target": f"p{pid}",
                "n": degree[pid],
                "interfaith": interfaith,
            }
        )
    for (a, b), n in among.items():
        edges.append({"source": f"p{a}", "target": f"p{b}", "n": n, "interfaith": False})
    return {
        "view": "ego",
        "title": person.full_name,
        "nodes": nodes,
        "edges": edges,
        "people": len(degree),
        "shown": len(chosen),
    }


def bridge_people(user, *, since=None, until=None, limit: int = BRIDGE_LIST) -> list[dict]:
    """People whose one-on-ones reach other congregations, most congregations reached first
    (then most across faith traditions, then most meetings). Two grouped queries: the meetings
    a person held with people of other congregations, and those they had with authors from
    other congregations."""
    since, until = period(since, until)
    congregations = {c.pk: c for c in congregations_visible_to(user)}
    crossing = (
        _peer_meetings(user, since, until)
        .annotate(author_home=F(AUTHOR_HOME))
        .exclude(congregation_id=F("author_home"))
    )
    reached: dict[int, set] = defaultdict(set)
    meetings: Counter = Counter()
    for field, other in (("author_person_id", "congregation_id"), ("person_id", "author_home")):
        grouped = crossing.order_by().values_list(field, other).annotate(n=Count("id"))
        for pid, cid, n in grouped:
            if cid in congregations:
                reached[pid].add(cid)
                meetings[pid] += n
    visible = people_visible_to(user).filter(pk__in=list(reached))
    home = primary_congregation_ids(list(reached))
    rows: list[dict] = []
    for pk, first, last in visible.values_list("pk", "first_name", "last_name"):
        own = congregations.get(home.get(pk, 0))
        traditions = {congregations[c].tradition for c in reached[pk]}
        if own:
            traditions.discard(own.tradition)
        rows.append(
            {
                "pk": pk,
                "name": f"{first} {last}".strip(),
                "congregation": own.name if own else "",
                "congregations": len(reached[pk]),
                "traditions": len(traditions),
                "meetings": meetings[pk],
            }
        )
    rows.sort(key=lambda r: (-r["congregations"], -r["traditions"], -r["meetings"], r["name"]))
    return rows[:limit]


def find_people(user, query: str, limit: int) -> list[Person]:
    """People the user may see whose first or last names start with the words typed."""
    if len(query) < 2:
        return []
    found = people_visible_to(user)
    for word in query.split()[:3]:
        found = found.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    people = list(found.order_by("last_name", "first_name", "id")[:limit])
    ids = primary_congregation_ids([p.pk for p in people])
    names = dict(Congregation.objects.filter(pk__in=set(ids.values())).values_list("pk", "name"))
    for person in people:
        person.congregation_name = names.get(ids.get(person.pk, 0), "")  # type: ignore[attr-defined]
    return people
