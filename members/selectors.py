"""Reads of people: the only way views and tasks get them, already scoped to the user asking."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from conect.roles import Role
from congregations.models import Membership
from congregations.selectors import congregation_ids_visible_to

from .models import Person


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
