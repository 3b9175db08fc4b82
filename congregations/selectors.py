"""Reads of congregations, already scoped to the user asking."""

from django.db.models import QuerySet

from conect.roles import Role, sees_whole_network

from .models import Congregation, Membership


def congregation_ids_visible_to(user) -> QuerySet | None:
    """Ids of the congregations `user` may see, or None for "all of them"."""
    if sees_whole_network(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return Congregation.objects.none().values("pk")
    if user.role in (Role.ORGANIZER, Role.LEAD):
        return user.congregations.values("pk")
    if user.role == Role.LEADER:
        # A leader sees the congregations they belong to, through their Person.
        return Membership.objects.filter(person__user=user).values("congregation_id")
    return Congregation.objects.none().values("pk")


def congregations_visible_to(user) -> QuerySet[Congregation]:
    ids = congregation_ids_visible_to(user)
    if ids is None:
        return Congregation.objects.all()
    return Congregation.objects.filter(pk__in=ids)
