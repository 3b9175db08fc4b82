"""Reads of people: the only way views and tasks get them, already scoped to the user asking."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from conect.roles import Role
from congregations.models import Membership
from congregations.selectors import congregation_ids_visible_to

from .models import ImportJob, Person


def people_visible_to(user, *, include_archived: bool = False) -> QuerySet[Person]:
    """People `user` may see: admins and network-wide organizers all; organizers and leads the
    members of their congregations; a leader only themself (their meetings extend this later)."""
    people = Person.objects.all()
    if not include_archived:
        people = people.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return people.none()
    if user.role == Role.LEADER:
        # relationships (issue 4): a leader also sees the people they have met.
        from relationships.selectors import met_by_q

        return people.filter(Q(user=user) | met_by_q(user))
    ids = congregation_ids_visible_to(user)
    if ids is None:
        return people
    in_scope = Membership.objects.filter(person=OuterRef("pk"), congregation_id__in=ids)
    return people.filter(Exists(in_scope))


def can_edit_people(user) -> bool:
    """Admins, organizers and leads add and edit people (in their scope); leaders do not."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.ORGANIZER, Role.LEAD)


def people_editable_by(user, *, include_archived: bool = True) -> QuerySet[Person]:
    if not can_edit_people(user):
        return Person.objects.none()
    return people_visible_to(user, include_archived=include_archived)


def with_list_details(people: QuerySet[Person]) -> QuerySet[Person]:
    """What a directory row shows: the primary congregation and the tags, in two queries for
    the whole page."""
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_primary=True).select_related("congregation"),
            to_attr="primary_memberships",
        ),
        "tags",
    )


def person_for_page(user, pk: int) -> Person:
    """One person for their page; archived people stay reachable (to restore them)."""
    people = people_visible_to(user, include_archived=True).select_related("user")
    return get_object_or_404(people.prefetch_related("tags"), pk=pk)


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Your own uploads; admins see everyone's."""
    if not can_edit_people(user):
        return ImportJob.objects.none()
    jobs = ImportJob.objects.select_related("congregation", "created_by")
    return jobs if user.role == Role.ADMIN else jobs.filter(created_by=user)
