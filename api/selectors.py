"""Reads for the API: each collection is the owning app's scoped selector (people_visible_to,
actions_visible_to, attendance_visible_to …) with the OSDI filter and order on top.

Out of scope is not found: an object the token's user may not see answers 404, whether it is
named in the URL or linked from the request body."""

import uuid
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from actions.models import Action, Attendance, Rsvp
from actions.selectors import actions_visible_to, attendance_visible_to
from conect import access
from members.models import Person, Tag
from members.pagination import network_people
from members.selectors import people_visible_to, with_primary_congregation

from .models import ApiIdentity, ApiToken, WebhookEndpoint
from .odata import Field, filter_q

Tagging = Person.tags.through

PEOPLE_FILTERS = {
    "modified_date": Field("updated_at", "date"),
    "created_date": Field("created_at", "date"),
    "email_address": Field("email"),
    "given_name": Field("first_name"),
    "family_name": Field("last_name"),
}
EVENT_FILTERS = {
    "start_date": Field("starts_at", "date"),
    "end_date": Field("ends_at", "date"),
    "created_date": Field("created_at", "date"),
    "title": Field("title"),
}
ACCEPTED = Q(rsvp__in=[Rsvp.YES, Rsvp.WALK_IN]) | Q(checked_in_at__isnull=False)


# --- Tokens ------------------------------------------------------------------------------------


def token_for_digest(digest: str) -> ApiToken | None:
    """The live token with this digest: not revoked, its user still active."""
    tokens = ApiToken.objects.select_related("user")
    return tokens.filter(digest=digest, revoked_at__isnull=True, user__is_active=True).first()


def tokens_of(user) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first (revoked ones too: the page shows when)."""
    if not access.signed_in(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


# --- Identities --------------------------------------------------------------------------------


def identities_of_model(model: type[Model]) -> QuerySet[ApiIdentity]:
    """The identities of `model`'s objects. Joined on the content type's natural key rather than
    read from ContentType's process-wide cache, whose ids go stale when a test flushes the
    database (the join costs nothing: the table has a few dozen rows)."""
    opts = model._meta
    return ApiIdentity.objects.filter(
        content_type__app_label=opts.app_label, content_type__model=opts.model_name
    )


def identity_rows(model: type[Model], ids) -> dict[int, ApiIdentity]:
    """{object id: identity} for the rows that exist (services.identities_for makes the rest)."""
    rows = identities_of_model(model).filter(object_id__in=list(ids))
    return {row.object_id: row for row in rows}


def by_uuid(queryset: QuerySet, value) -> Any:
    """The object of `queryset` (already scoped) whose API uuid is `value`; 404 otherwise."""
    try:
        wanted = uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None
    ids = identities_of_model(queryset.model).filter(uuid=wanted).values("object_id")
    found = queryset.filter(pk__in=ids).first()
    if found is None:
        raise Http404
    return found


# --- Collections -------------------------------------------------------------------------------


def people_for_api(user, *, filter_text: str | None = None) -> QuerySet[Person]:
    """People the user may see, with their primary congregation, in a stable order.

    A filter on email address never finds a do-not-contact person: the API never confirms
    their contact details, not even by answering a lookup."""
    q = filter_q(filter_text, PEOPLE_FILTERS)
    people = people_visible_to(user).filter(q)
    if "email_address" in (filter_text or "").lower():
        people = people.exclude(do_not_contact=True)
    return with_primary_congregation(people).order_by("id")


def people_total_for_api(user, *, filter_text: str | None = None) -> int | None:
    """The people list's `total_records` when it can be known without counting: a reader who
    sees the whole network, asking without a filter, lists exactly the people the ladder
    tallies count (not archived), up to a minute behind. None otherwise: count the list."""
    if (filter_text or "").strip() or access.visible_congregation_ids(user) is not None:
        return None
    return network_people()


def tags_for_api(user) -> QuerySet[Tag]:
    """Tags are the network's shared vocabulary: every signed-in role sees them all."""
    tags = Tag.objects.order_by("id")
    return tags if access.signed_in(user) else tags.none()


def taggings_for_api(user, tag: Tag) -> QuerySet:
    """The tag's links to people the user may see."""
    visible = people_visible_to(user).values("pk")
    return Tagging.objects.filter(tag=tag, person__in=visible).order_by("id")


def events_for_api(user, *, filter_text: str | None = None) -> QuerySet[Action]:
    """Actions are public action information: every signed-in role sees them all."""
    return actions_visible_to(user).filter(filter_q(filter_text, EVENT_FILTERS)).order_by("id")


def accepted_counts(action_ids) -> dict[int, int]:
    """{action id: people who said yes, walked in or were checked in}: a plain count, network
    wide, like the action page's totals (it names no one). One query."""
    rows = (
        Attendance.objects.filter(ACCEPTED, action_id__in=list(action_ids))
        .values("action_id")
        .annotate(n=Count("id"))
        .values_list("action_id", "n")
    )
    return dict(rows)


def attendances_for_api(user, action: Action) -> QuerySet[Attendance]:
    """The action's attendance rows for people the user may see."""
    return attendance_visible_to(user).filter(action=action).order_by("id")


# --- Webhooks ----------------------------------------------------------------------------------


def endpoints_for(topic: str) -> list[WebhookEndpoint]:
    """The active endpoints that receive `topic` (one query on a table of a few rows)."""
    field = WebhookEndpoint.TOPIC_FIELDS[topic]
    return list(WebhookEndpoint.objects.filter(is_active=True, **{field: True}))
