"""Reads of people: the only way views and tasks get them, already scoped to the user asking."""

from django.db.models import CharField, Exists, F, Func, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from conect import access
from conect.ladder import Level
from congregations.models import Membership
from congregations.selectors import primary_memberships_prefetch

from .models import ImportJob, LadderTally, Person


def people_visible_to(user, *, include_archived: bool = False) -> QuerySet[Person]:
    """People `user` may see: admins and network-wide organizers all; organizers and leads the
    members of their congregations; a leader themself and the people they have met."""
    people = Person.objects.all()
    if not include_archived:
        people = people.filter(archived_at__isnull=True)
    if not access.signed_in(user):
        return people.none()
    if user.role == access.Role.LEADER:
        return people.filter(Q(user=user) | access.people_met_by_q(user))
    ids = access.visible_congregation_ids(user)
    if ids is None:
        return people
    in_scope = Membership.objects.filter(person=OuterRef("pk"), congregation_id__in=ids)
    return people.filter(Exists(in_scope))


class _NotIndexed(Func):
    """`(column || '')`: sorts exactly like the column, but no index on the column serves it."""

    template = "(%(expressions)s || '')"
    output_field = CharField()


TEXT_ORDER_FIELDS = {"last_name", "first_name", "town"}  # `|| ''` keeps their order
SELECTIVE_WORD = 3  # a search word this long matches few people, through the trigram index


def is_selective(query: str) -> bool:
    """Whether a search narrows the people enough to find them first and sort them after:
    some word of at least SELECTIVE_WORD characters (what a trigram index can look up)."""
    return any(len(word) >= SELECTIVE_WORD for word in query.split())


def name_order(*fields: str, matches_first: bool = False) -> list:
    """Order by `fields` (names first, "-" for descending). With `matches_first`, the leading
    field is sorted as an expression: PostgreSQL then finds a search's matches through the
    trigram or prefix indexes and sorts those few, instead of walking the whole name index in
    order and filtering on the way (which looks cheap to the planner and took seconds at
    1,000,000 people when the matches sit late in the alphabet: bench/plans/)."""
    order: list = list(fields)
    name = fields[0].lstrip("-") if fields else ""
    if matches_first and name in TEXT_ORDER_FIELDS:
        expression = _NotIndexed(F(name))
        order[0] = expression.desc() if fields[0].startswith("-") else expression.asc()
    return order


def people_editable_by(user, *, include_archived: bool = True) -> QuerySet[Person]:
    """People `user` may change: staff and leads, within their scope."""
    if not access.is_staff_or_lead(user):
        return Person.objects.none()
    return people_visible_to(user, include_archived=include_archived)


def with_list_details(people: QuerySet[Person]) -> QuerySet[Person]:
    """What a directory row shows: the primary congregation and the tags, in two queries for
    the whole page."""
    return with_primary_congregation(people).prefetch_related("tags")


DIRECTORY_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "level",
    "town",
    "archived_at",
    "do_not_contact",
)


def directory_rows(people: QuerySet[Person] | list[dict]) -> list[dict]:
    """A directory page's rows as plain values, in three queries: the people's own fields, their
    primary congregations' names and their tags' names (no model instances: at 50 rows a page
    with their memberships, congregations and tags, building instances was most of the list's
    Python time, issue 16). Each row: the fields, `name`, `url`, `level_label`,
    `congregations` and `tags` (names, the tags by name). `people` may be those values already
    (members.pagination.CountedPaginator's pages)."""
    rows = list(people) if isinstance(people, list) else list(people.values(*DIRECTORY_FIELDS))
    ids = [row["id"] for row in rows]
    congregations: dict[int, list[str]] = {pk: [] for pk in ids}
    tags: dict[int, list[str]] = {pk: [] for pk in ids}
    if ids:
        primary = Membership.objects.filter(person_id__in=ids, is_primary=True).order_by("id")
        for pk, name in primary.values_list("person_id", "congregation__name"):
            congregations[pk].append(name)
        links = Person.tags.through.objects.filter(person_id__in=ids).order_by("tag__name")
        for pk, name in links.values_list("person_id", "tag__name"):
            tags[pk].append(name)
    # One reverse() for the page: the URL with a marker where the id goes.
    marker = "2147483647"
    url = reverse("members:person_detail", args=[int(marker)])
    labels = dict(Level.choices)
    for row in rows:
        pk = row["id"]
        row["name"] = f"{row['first_name']} {row['last_name']}".strip()
        row["url"] = url.replace(marker, str(pk))
        row["level_label"] = labels.get(row["level"], row["level"])
        row["congregations"] = congregations[pk]
        row["tags"] = tags[pk]
    return rows


def with_primary_congregation(people: QuerySet[Person]) -> QuerySet[Person]:
    """People with `primary_memberships` (their primary congregation), one query per page."""
    return people.prefetch_related(primary_memberships_prefetch())


def person_for_page(user, pk: int) -> Person:
    """One person for their page; archived people stay reachable (to restore them)."""
    people = people_visible_to(user, include_archived=True).select_related("user")
    return get_object_or_404(people.prefetch_related("tags", "other_emails"), pk=pk)


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Your own uploads; admins see everyone's."""
    if not access.is_staff_or_lead(user):
        return ImportJob.objects.none()
    jobs = ImportJob.objects.select_related("congregation", "created_by")
    return jobs if access.is_admin(user) else jobs.filter(created_by=user)


def network_ladder_counts() -> dict[str, int]:
    """{level: people} across the network, from the ladder tallies (current within a minute)."""
    return dict(LadderTally.objects.values_list("level", "people"))


def people_like(user, *, first_name: str, last_name: str, phone: str = "", zip: str = ""):
    """Up to five people `user` may see who may be the person about to be added: the same
    phone, the same full name, or the same last name in the same ZIP ("did you mean …?").
    Only within scope: for anyone else the question would tell that they exist."""
    alike = Q(first_name__iexact=first_name, last_name__iexact=last_name)
    if phone:
        alike |= Q(phone=phone)
    if zip and last_name:
        alike |= Q(last_name__iexact=last_name, zip=zip)
    people = people_visible_to(user).filter(alike).order_by("last_name", "first_name", "pk")
    return list(with_primary_congregation(people)[:5])
