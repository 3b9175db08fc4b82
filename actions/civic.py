"""Civic participation, non-partisan: registration drives, pledge-to-vote cards, and the
election-day list that feeds follow-ups (docs/values.md).

Its own module, not services.py/selectors.py, so the rules of this one feature read together;
the same shape: reads scoped to the user, writes keyword-only and atomic with the acting `by`.
Nothing here knows a candidate, a party or how anyone voted.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conect import access
from congregations.models import Congregation, Membership
from congregations.selectors import congregations_visible_to
from members.models import Person, User
from members.selectors import people_visible_to
from relationships.models import FollowUp
from relationships.services import followup_create

from .models import Action, ActionKind, Election, PledgeCard, RegistrationDriveResult

# --- Reads -----------------------------------------------------------------------------------


def elections_upcoming() -> QuerySet[Election]:
    return Election.objects.filter(held_on__gte=timezone.localdate()).order_by("held_on")


def pledge_tallies(user) -> list[dict]:
    """Per election and congregation the user may see: cards collected and confirmed voted.
    One query."""
    rows = (
        PledgeCard.objects.filter(congregation__in=congregations_visible_to(user))
        .values("election_id", "congregation_id", "congregation__name", "congregation__slug")
        .annotate(
            pledged=Count("pk"), voted=Count("pk", filter=Q(voted_confirmed_at__isnull=False))
        )
        .order_by("congregation__name")
    )
    return [dict(row) for row in rows]


def election_day_list(user, election: Election, congregation: Congregation) -> QuerySet[PledgeCard]:
    """Who pledged to vote in `election` from `congregation` and is not yet confirmed voted,
    limited to the people `user` may see."""
    return (
        PledgeCard.objects.filter(
            election=election,
            congregation=congregation,
            voted_confirmed_at__isnull=True,
            person__in=people_visible_to(user).values("pk"),
        )
        .select_related("person", "action")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def cards_at(action: Action) -> QuerySet[PledgeCard]:
    return PledgeCard.objects.filter(action=action)


# --- Writes ----------------------------------------------------------------------------------


@transaction.atomic
def registration_drive_record(
    *, action: Action, forms_registered: int, people_helped: int, by: User
) -> RegistrationDriveResult:
    """The counts of a voter registration drive; recording again replaces them."""
    if action.kind != ActionKind.REGISTRATION_DRIVE:
        raise ValueError("only a voter registration drive has registration results")
    result, _created = RegistrationDriveResult.objects.update_or_create(
        action=action,
        defaults={
            "forms_registered": forms_registered,
            "people_helped": people_helped,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    return result


@transaction.atomic
def election_create(*, name: str, held_on, by: User) -> Election:
    """An election by its name; the same name again returns it."""
    if not access.is_organizing_staff(by):
        raise PermissionError("only admins and organizers add elections")
    election, _created = Election.objects.get_or_create(
        name=name.strip(), defaults={"held_on": held_on}
    )
    return election


@transaction.atomic
def pledge_card_collect(
    *, election: Election, person: Person, action: Action | None = None, by: User
) -> tuple[PledgeCard, bool]:
    """`person` pledged to vote in `election` (on a card collected at `action`), credited to
    their primary congregation. Once per person and election: a second card changes nothing."""
    primary = (
        Membership.objects.filter(person=person, is_primary=True)
        .values_list("congregation_id", flat=True)
        .first()
    )
    return PledgeCard.objects.get_or_create(
        election=election,
        person=person,
        defaults={"action": action, "congregation_id": primary, "collected_by": by},
    )


@transaction.atomic
def pledge_voted_confirm(*, card: PledgeCard, by: User) -> PledgeCard:
    """They told us they voted (not how). Confirming twice keeps the first time."""
    if card.voted_confirmed_at is None:
        card.voted_confirmed_at = timezone.now()
        card.voted_confirmed_by = by
        card.save(update_fields=["voted_confirmed_at", "voted_confirmed_by"])
    return card


@transaction.atomic
def election_day_followups(*, cards, election: Election, by: User) -> int:
    """A follow-up for `by` for each card, due on election day: "did they vote?" (never how).
    Idempotent: one per card and owner, so pressing twice adds none. Returns how many are new."""
    cards = list(cards)
    existing = set(
        FollowUp.objects.filter(
            owner=by,
            source_type=ContentType.objects.get_for_model(PledgeCard),
            source_id__in=[card.pk for card in cards],
        ).values_list("source_id", flat=True)
    )
    note = _("Election day (%(election)s): check they voted. Never ask how.") % {
        "election": election.name
    }
    new = [card for card in cards if card.pk not in existing]
    for card in new:
        followup_create(
            owner=by, person=card.person, due_on=election.held_on, source=card, note=note[:300]
        )
    return len(new)
