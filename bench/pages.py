"""The key pages the bench times (issue 16's table), and who asks for each.

One list for the bench run (bench.run) and the query-count test (tests/bench/): the targets are
chosen from the data, the same way at every scale, so 200 people and 1,000,000 ask for the same
pages.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import Resolver404, resolve, reverse

from actions.models import Action
from api.authentication import HEADER as TOKEN_HEADER  # OSDI-API-Token (docs/api.md)
from api.services import token_create, token_revoke
from congregations.models import Membership
from members.models import User
from relationships.models import OneOnOne

from .seed import BIG_ACTION_TITLE

PERSONAS = {
    "organizer": "organizer@conect.example",  # network-wide
    "lead": "lead@conect.example",  # St. Mark's AME Church
    "leader": "leader@conect.example",
}
FLOOR = "floor"
API_PEOPLE = "/api/v2/people/"


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    path: str
    by_token: bool = False  # an API page: sent with the persona's API token, asking for JSON


def api_headers(token: str) -> dict[str, str]:
    """What an API client sends: its token and the API's media type."""
    return {TOKEN_HEADER: token, "Accept": "application/hal+json"}


class ApiTokens:
    """API tokens for the personas, made when first asked for (api.services.token_create:
    audited, only the digest stored) and revoked by `revoke_all` when the run is done."""

    def __init__(self):
        self._made: dict[str, tuple] = {}

    def for_persona(self, persona: str) -> str:
        if persona not in self._made:
            user = User.objects.get(email=PERSONAS[persona])
            self._made[persona] = token_create(user=user, name="bench", by=None)
        return self._made[persona][1]

    def revoke_all(self) -> None:
        for row, _token in self._made.values():
            token_revoke(token=row, by=None)
        self._made.clear()


def key_pages() -> tuple[list[Page], list[dict]]:
    """The pages to time, the floor first, and the ones skipped (with why)."""
    organizer = User.objects.get(email=PERSONAS["organizer"])
    largest = (
        Membership.objects.filter(is_primary=True)
        .values("congregation__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "congregation__slug")
        .first()
    )
    assert largest is not None, "seed the bench network first (python -m bench seed)"
    action = (
        Action.objects.filter(title=BIG_ACTION_TITLE).order_by("-starts_at", "-id").first()
        or Action.objects.annotate(n=Count("attendances")).order_by("-n", "id").first()
    )
    assert action is not None
    met = OneOnOne.objects.filter(author=organizer).order_by("-held_on", "-id").first()
    assert met is not None, "the organizer has no one-on-one to open a person page from"
    slug = largest["congregation__slug"]
    pages = [
        Page(FLOOR, "organizer", reverse("bench_floor")),
        Page("/ organizer home", "organizer", reverse("home")),
        Page("/listening/", "organizer", reverse("relationships:listening")),
        Page("/relationships/map/", "organizer", reverse("relationships:map")),
        Page("/people/?q=smith", "organizer", reverse("members:person_list") + "?q=smith"),
        Page("/congregations/", "organizer", reverse("congregations:list")),
        Page("a congregation's page", "organizer", reverse("congregations:detail", args=[slug])),
        Page("/people/", "organizer", reverse("members:person_list")),
        Page("an action, 1,500 attendees", "organizer", action.get_absolute_url()),
        Page("/dues/", "organizer", reverse("dues:network")),
        Page("/follow-ups/", "organizer", reverse("relationships:follow_up_list")),
        Page("a person page", "organizer", met.person.get_absolute_url()),
        Page("/ lead home", "lead", reverse("home")),
        Page("/ leader home", "leader", reverse("home")),
    ]
    skipped = []
    try:
        resolve(API_PEOPLE)
    except Resolver404:
        skipped.append({"name": API_PEOPLE, "reason": "no such URL on this branch yet"})
    else:  # the network-wide organizer's token: the first page of everyone (25 people)
        pages.append(Page(API_PEOPLE, "organizer", API_PEOPLE, by_token=True))
    return pages, skipped
