"""The access core: who may see and change what. The ground floor: it imports no app.

DESIGN.md's four roles, each permission predicate under one name, and the visible-congregation
rule. Every app's selectors build their scoped querysets from `visible_congregation_ids`, which is
computed once per user object: `request.user` is one object for the whole request, so one page
asks the database once however many panels it draws.

The rule for refusals (docs/decisions.md): an object outside your scope is a 404 (its existence
is not revealed); an object in your scope that your role may not change is a 403.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCOPE_CACHE = "_conect_visible_congregation_ids"


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    ORGANIZER = "organizer", _("Organizer")
    LEAD = "lead", _("Congregation lead")
    LEADER = "leader", _("Leader")


# --- Predicates: one name for each rule --------------------------------------------------------


def signed_in(user) -> bool:
    """A signed-in, active login: every other predicate starts here (deny by default)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


# The role sets behind the predicates below, for the places that filter rows by role in a query
# (a user's role in a queryset cannot call a Python function).
ORGANIZING_STAFF_ROLES = (Role.ADMIN, Role.ORGANIZER)
STAFF_OR_LEAD_ROLES = (*ORGANIZING_STAFF_ROLES, Role.LEAD)


def is_admin(user) -> bool:
    """CONECT's staff director and data stewards: the Django admin, the ledger's forms, deletion
    for privacy requests, other income."""
    return signed_in(user) and user.role == Role.ADMIN


def is_organizing_staff(user) -> bool:
    """Admins and organizers, CONECT's paid staff: they run campaigns and actions, keep
    congregation profiles, and read sensitive fields (docs/privacy.md)."""
    return signed_in(user) and user.role in ORGANIZING_STAFF_ROLES


def is_staff_or_lead(user) -> bool:
    """Staff and congregation leads: they work with the people of their congregations (add, edit,
    import, export, pledge, invite, check in) and see their dues."""
    return signed_in(user) and user.role in STAFF_OR_LEAD_ROLES


def sees_whole_network(user) -> bool:
    """Admins, and organizers marked network-wide, see every congregation."""
    return signed_in(user) and (
        user.role == Role.ADMIN or (user.role == Role.ORGANIZER and user.network_wide)
    )


def must_use_mfa(user) -> bool:
    """Two-step sign-in is required of whoever sees the whole network (admins, network-wide
    organizers): one stolen password there opens every congregation's people. Optional for the
    others (docs/security.md)."""
    return sees_whole_network(user)


# --- Scope ---------------------------------------------------------------------------------------


def visible_congregation_ids(user) -> frozenset[int] | None:
    """Ids of the congregations `user` may see, or None for "all of them". Organizers and leads
    see the congregations assigned to them, a leader those they belong to (through their Person).
    Read off the user's own relations, so the ground floor needs no app's models."""
    if sees_whole_network(user):
        return None
    if not signed_in(user):
        return frozenset()
    cached = getattr(user, SCOPE_CACHE, None)
    if cached is not None:
        return cached
    if user.role in (Role.ORGANIZER, Role.LEAD):
        ids = frozenset(user.congregations.values_list("pk", flat=True))
    elif user.role == Role.LEADER:
        congregation = user._meta.get_field("congregations").related_model
        ids = frozenset(
            congregation.objects.filter(memberships__person__user=user).values_list("pk", flat=True)
        )
    else:
        ids = frozenset()
    setattr(user, SCOPE_CACHE, ids)
    return ids


def forget_scope(user) -> None:
    """Drop the cached scope (the user's congregations changed)."""
    if user is not None and hasattr(user, SCOPE_CACHE):
        delattr(user, SCOPE_CACHE)


def in_scope(user, congregation_id: int | None) -> bool:
    ids = visible_congregation_ids(user)
    return ids is None or congregation_id in ids


# --- What higher floors tell the ground ----------------------------------------------------------
# Who met whom is recorded by the relationships app, two floors up; the directory needs it for a
# leader's scope (the people they have met) and for its "not met in N days" filter. Relationships
# provides both filters from its AppConfig.ready(), so no lower app imports upward.

PersonFilter = Callable[..., Q]
_meeting_filters: dict[str, PersonFilter] = {}


def provide_meeting_filters(*, met_by: PersonFilter, met_since: PersonFilter) -> None:
    """`met_by(user)`: people `user` has met; `met_since(day)`: people met on or after `day`."""
    _meeting_filters.update(met_by=met_by, met_since=met_since)


def people_met_by_q(user: Any) -> Q:
    """A filter on Person: the people `user` has met (nobody while no app records meetings)."""
    met_by = _meeting_filters.get("met_by")
    return met_by(user) if met_by else Q(pk__in=[])


def people_met_since_q(day: datetime.date) -> Q | None:
    """A filter on Person: someone met them on or after `day` (None while nobody records it)."""
    met_since = _meeting_filters.get("met_since")
    return met_since(day) if met_since else None
