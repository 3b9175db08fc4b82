"""Every URL answers by one rule (docs/decisions.md "403 or 404"):

- anonymous → the login page (except the few pages marked public);
- an object outside the user's scope → 404, so its existence is not revealed;
- an object (or page) in scope that the user's role may not use → 403.

Every URL pattern of the project must be declared in RULES below: a new page that nobody
declared fails `test_every_url_pattern_is_declared`, so it cannot skip the walk.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions.models import Election
from actions.services import attendance_rsvp
from api.services import identity_of, token_create
from members.models import ImportJob, Tag
from tests.campaigns.factories import ActionFactory, CampaignFactory, CommitmentFactory
from tests.congregations.factories import LedgerEntryFactory
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import FollowUpFactory, HouseMeetingFactory, OneOnOneFactory

PUBLIC = "public"  # no login needed (health check, language switch, the token-guarded feed)
NETWORK = "network"  # public campaign/action information: every signed-in role sees it
NO_OBJECT = "no object"  # names no object: nothing to be out of scope


@dataclass(frozen=True)
class Rule:
    """`outside`: URL kwargs naming an object outside a lead's scope (their congregation is
    St. Mark's; the object belongs to Temple Sinai or to someone else), or PUBLIC / NETWORK /
    NO_OBJECT. `forbidden`: (persona, kwargs) that is in scope but not the persona's to use."""

    outside: Any
    forbidden: tuple[str, Any] | None = None
    token: bool = False  # the API: a token, not a login (anonymous → 401; the walk sends one)


def other_slug(o):
    return {"slug": o["other"].slug}


def mine_slug(o):
    return {"slug": o["mine"].slug}


def other_person(o):
    return {"pk": o["person_other"].pk}


def leaders_self(o):
    return {"pk": o["leader_person"].pk}


def api_uuid(obj):
    return str(identity_of(obj).uuid)


def api_other_person(o):
    return {"uuid": api_uuid(o["person_other"])}


RULES: dict[str, Rule] = {
    "healthz": Rule(PUBLIC),
    "set_language": Rule(PUBLIC),
    "actions:ics": Rule(PUBLIC),
    "home": Rule(NO_OBJECT),
    "home:person_practice": Rule(other_person),
    # congregations and dues
    "congregations:list": Rule(NO_OBJECT),
    "congregations:detail": Rule(other_slug),
    "congregations:edit": Rule(other_slug, ("lead", mine_slug)),
    "congregations:dues": Rule(other_slug, ("leader", mine_slug)),
    "congregations:dues_csv": Rule(other_slug, ("leader", mine_slug)),
    "congregations:payment_new": Rule(other_slug, ("lead", mine_slug)),
    "congregations:adjustment_new": Rule(other_slug, ("lead", mine_slug)),
    "congregations:entry_reverse": Rule(
        lambda o: {"slug": o["other"].slug, "pk": o["entry_other"].pk},
        ("lead", lambda o: {"slug": o["mine"].slug, "pk": o["entry_mine"].pk}),
    ),
    "dues:network": Rule(NO_OBJECT, ("leader", {})),
    "dues:income_list": Rule(NO_OBJECT, ("lead", {})),
    "dues:income_new": Rule(NO_OBJECT, ("lead", {})),
    # people
    "members:person_list": Rule(NO_OBJECT),
    "members:person_create": Rule(NO_OBJECT, ("leader", {})),
    "members:export": Rule(NO_OBJECT, ("leader", {})),
    "members:import_start": Rule(NO_OBJECT, ("leader", {})),
    "members:import_template": Rule(NO_OBJECT),
    "members:import_detail": Rule(lambda o: {"pk": o["job_other"].pk}),
    "members:import_confirm": Rule(lambda o: {"pk": o["job_other"].pk}),
    "members:import_rejected": Rule(lambda o: {"pk": o["job_other"].pk}),
    "members:duplicates": Rule(NO_OBJECT, ("leader", {})),
    "members:person_detail": Rule(other_person),
    "members:person_edit": Rule(other_person, ("leader", leaders_self)),
    "members:person_ladder": Rule(other_person, ("leader", leaders_self)),
    "members:person_archive": Rule(other_person, ("leader", leaders_self)),
    "members:person_delete": Rule(other_person, ("organizer", lambda o: {"pk": o["person"].pk})),
    "members:equity_report": Rule(NO_OBJECT, ("lead", {})),
    "members:person_demographics": Rule(other_person, ("lead", lambda o: {"pk": o["person"].pk})),
    "members:person_voter_registration": Rule(other_person, ("leader", leaders_self)),
    "members:person_merge": Rule(
        lambda o: {"pk": o["person"].pk, "other_pk": o["person_other"].pk}
    ),
    "members:duplicate_dismiss": Rule(
        lambda o: {"pk": o["person"].pk, "other_pk": o["person_other"].pk}
    ),
    # relational meetings
    "relationships:one_on_one_list": Rule(NO_OBJECT),
    "relationships:one_on_one_new": Rule(NO_OBJECT),
    "relationships:person_search": Rule(NO_OBJECT),
    "relationships:one_on_one_detail": Rule(lambda o: {"pk": o["meeting_other"].pk}),
    "relationships:house_meeting_list": Rule(NO_OBJECT),
    "relationships:house_meeting_new": Rule(NO_OBJECT),
    "relationships:house_meeting_detail": Rule(lambda o: {"pk": o["house_meeting_other"].pk}),
    "relationships:follow_up_list": Rule(NO_OBJECT),
    "relationships:follow_up_done": Rule(lambda o: {"pk": o["follow_up_other"].pk}),
    "relationships:follow_up_new": Rule(NO_OBJECT),
    "relationships:follow_up_edit": Rule(lambda o: {"pk": o["follow_up_other"].pk}),
    "relationships:map": Rule(NO_OBJECT),
    "relationships:map_network": Rule(NO_OBJECT),
    "relationships:map_bridges": Rule(NO_OBJECT),
    "relationships:map_congregation": Rule(other_slug),
    "relationships:map_person": Rule(other_person),
    "relationships:congregation_one_on_ones": Rule(other_slug, ("leader", mine_slug)),
    "relationships:listening": Rule(NO_OBJECT),
    "relationships:one_on_ones_over_time": Rule(NO_OBJECT),
    "relationships:listening_meetings": Rule(NO_OBJECT),
    # campaigns and targets: public campaign information
    "campaigns:list": Rule(NO_OBJECT),
    "campaigns:create": Rule(NO_OBJECT, ("lead", {})),
    "campaigns:issue_create": Rule(NO_OBJECT, ("lead", {})),
    "campaigns:detail": Rule(NETWORK),
    "campaigns:stage": Rule(NETWORK, ("lead", lambda o: {"pk": o["campaign"].pk})),
    "campaigns:research_create": Rule(NETWORK, ("lead", lambda o: {"pk": o["campaign"].pk})),
    "campaigns:edit": Rule(NETWORK, ("lead", lambda o: {"pk": o["campaign"].pk})),
    "targets:list": Rule(NO_OBJECT),
    "targets:create": Rule(NO_OBJECT, ("lead", {})),
    "targets:detail": Rule(NETWORK),
    # ... but changing a commitment or an action is for those it involves (issue 11)
    "targets:commitment_status": Rule(
        lambda o: {"pk": o["commitment_other"].pk},
        ("lead", lambda o: {"pk": o["commitment_mine"].pk}),
    ),
    # actions: public action information; people and counts inside are scoped
    "actions:list": Rule(NO_OBJECT),
    "actions:create": Rule(NO_OBJECT, ("lead", {})),
    "actions:warnings": Rule(NO_OBJECT),
    "actions:calendar": Rule(NO_OBJECT),
    "actions:reports": Rule(NO_OBJECT),
    "actions:report_csv": Rule(NO_OBJECT),
    "actions:congregation_turnout": Rule(other_slug),
    "actions:detail": Rule(NETWORK),
    "actions:edit": Rule(
        lambda o: {"pk": o["action_other"].pk}, ("lead", lambda o: {"pk": o["action_mine"].pk})
    ),
    "actions:pledge": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:pledge_cards": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:registration_drive": Rule(NETWORK, ("leader", lambda o: {"pk": o["drive"].pk})),
    "actions:elections": Rule(NO_OBJECT, ("leader", {})),
    "actions:election_day": Rule(
        lambda o: {"pk": o["election"].pk, "slug": o["other"].slug},
        ("leader", lambda o: {"pk": o["election"].pk, "slug": o["mine"].slug}),
    ),
    "actions:invite": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:rsvp": Rule(
        lambda o: {"pk": o["action"].pk, "person_pk": o["person_other"].pk},
        ("leader", lambda o: {"pk": o["action"].pk, "person_pk": o["leader_person"].pk}),
    ),
    "actions:evaluate": Rule(
        lambda o: {"pk": o["action_other"].pk}, ("lead", lambda o: {"pk": o["action_mine"].pk})
    ),
    "actions:followups_created": Rule(NETWORK),
    "actions:check_in": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:attendance_after": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:check_in_search": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:walk_in": Rule(NETWORK, ("leader", lambda o: {"pk": o["action"].pk})),
    "actions:check_in_person": Rule(
        lambda o: {"pk": o["action"].pk, "person_pk": o["person_other"].pk},
        ("leader", lambda o: {"pk": o["action"].pk, "person_pk": o["leader_person"].pk}),
    ),
    # the API (issue 15): token-authenticated; writes' roles are walked in tests/api
    "api:entry": Rule(NO_OBJECT, token=True),
    "api:not_found": Rule(NO_OBJECT, token=True),
    "api:people": Rule(NO_OBJECT, token=True),
    "api:person": Rule(api_other_person, token=True),
    "api:person_attendances": Rule(api_other_person, token=True),
    "api:tags": Rule(NO_OBJECT, token=True),
    "api:tag": Rule(NETWORK, token=True),
    "api:taggings": Rule(NETWORK, token=True),
    "api:tagging": Rule(
        lambda o: {"tag_uuid": api_uuid(o["tag"]), "uuid": api_uuid(o["tagging_other"])},
        token=True,
    ),
    "api:events": Rule(NO_OBJECT, token=True),
    "api:event": Rule(NETWORK, token=True),
    "api:attendances": Rule(NETWORK, token=True),
    "api:attendance": Rule(
        lambda o: {"event_uuid": api_uuid(o["action"]), "uuid": api_uuid(o["attendance_other"])},
        token=True,
    ),
    "api:schema": Rule(NO_OBJECT, token=True),
    "api:docs": Rule(NO_OBJECT),
    "api:tokens": Rule(NO_OBJECT),
    "api:token_revoke": Rule(lambda o: {"pk": o["token_other"].pk}),
    # leaders' own commitments (issue 14): panels on the pages above; people inside are scoped
    "accountability:leaders_panel": Rule(NO_OBJECT),
    "accountability:action_panel": Rule(NETWORK),
    "accountability:house_meeting_panel": Rule(lambda o: {"pk": o["house_meeting_other"].pk}),
    "accountability:person_panel": Rule(other_person),
    # notifications: always one's own
    "notifications:inbox": Rule(NO_OBJECT),
    "notifications:mark_read": Rule(NO_OBJECT),
    "notifications:preferences": Rule(NO_OBJECT),
}
SAMPLE_UUID = "00000000-0000-0000-0000-000000000001"
SAMPLE_ARGS = {
    "slug": "st-marks",
    "pk": 1,
    "other_pk": 2,
    "person_pk": 1,
    "name": "turnout",
    "uuid": SAMPLE_UUID,
    "tag_uuid": SAMPLE_UUID,
    "event_uuid": SAMPLE_UUID,
}


def url_patterns(resolver=None, namespace=None):
    """(name, pattern) of every project URL; the admin and allauth have their own rules (the admin
    is the admin role's, tests/conect/test_admin_site.py; allauth's sign-in and two-step pages
    under /accounts/, tests/conect/test_mfa.py and test_login_security.py)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            if entry.namespace == "admin" or module.startswith("allauth"):
                continue
            inner = entry.namespace
            yield from url_patterns(entry, f"{namespace}:{inner}" if namespace else inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def test_every_url_pattern_is_declared():
    names = {name for name, _pattern in url_patterns()}
    assert names - set(RULES) == set(), "declare these URLs in RULES"
    assert set(RULES) - names == set(), "these RULES name no URL any more"


def _url(name, kwargs):
    return reverse(name, kwargs=kwargs)


def _call(client, url):
    """GET, or an empty POST where the view takes only POST."""
    response = client.get(url)
    return client.post(url, {}) if response.status_code == 405 else response


@pytest.fixture
def world(db, congregation, other_congregation, lead, organizer, leader):
    stranger = UserFactory()
    person = PersonFactory(congregation=congregation)
    person_other = PersonFactory(congregation=other_congregation)
    action = ActionFactory()
    tag = Tag.objects.create(name="housing")
    person_other.tags.add(tag)
    return {
        "mine": congregation,
        "other": other_congregation,
        "person": person,
        "person_other": person_other,
        "leader_person": leader.person,
        "entry_mine": LedgerEntryFactory(congregation=congregation),
        "entry_other": LedgerEntryFactory(congregation=other_congregation),
        "job_other": ImportJob.objects.create(created_by=stranger, filename="x.csv"),
        "meeting_other": OneOnOneFactory(
            author=stranger, person=person_other, congregation=other_congregation
        ),
        "house_meeting_other": HouseMeetingFactory(
            facilitator=stranger, congregation=other_congregation
        ),
        "follow_up_other": FollowUpFactory(owner=stranger, person=person_other),
        "campaign": CampaignFactory(),
        "action": action,
        "drive": ActionFactory(kind="registration_drive"),
        "election": Election.objects.create(name="Hartford municipal 2027", held_on="2027-11-02"),
        "tag": tag,
        "tagging_other": Tag.people.through.objects.get(person=person_other),
        "attendance_other": attendance_rsvp(action=action, person=person_other, rsvp="yes"),
        "token_other": token_create(user=stranger, name="theirs", by=stranger)[0],
        "commitment": CommitmentFactory(),
        "action_mine": ActionFactory(congregations=[congregation]),
        "action_other": ActionFactory(congregations=[other_congregation]),
        "commitment_mine": CommitmentFactory(
            campaign=CampaignFactory(congregations=[congregation])
        ),
        "commitment_other": CommitmentFactory(
            action=ActionFactory(congregations=[other_congregation])
        ),
        "users": {"lead": lead, "organizer": organizer, "leader": leader},
    }


def _kwargs(spec, world):
    return spec(world) if callable(spec) else dict(spec)


@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous_goes_to_login_unless_public(client, name):
    pattern = dict(url_patterns())[name]
    names = pattern.pattern.converters or pattern.pattern.regex.groupindex
    kwargs = {key: SAMPLE_ARGS[key] for key in names}
    response = _call(client, _url(name, kwargs))
    if RULES[name].token:
        assert response.status_code == 401
    elif RULES[name].outside == PUBLIC:
        assert response.status_code != 302 or "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


OUTSIDE = sorted(name for name, rule in RULES.items() if callable(rule.outside))
FORBIDDEN = sorted(name for name, rule in RULES.items() if rule.forbidden)


@pytest.mark.parametrize("name", OUTSIDE)
def test_out_of_scope_object_is_404(client, login, world, name):
    url = _url(name, _kwargs(RULES[name].outside, world))
    lead = world["users"]["lead"]
    if RULES[name].token:
        client = Client(
            headers={"OSDI-API-Token": token_create(user=lead, name="walk", by=lead)[1]}
        )
    assert _call(login(client, lead), url).status_code == 404


@pytest.mark.parametrize("name", FORBIDDEN)
def test_in_scope_but_not_your_role_is_403(client, login, world, name):
    persona, spec = RULES[name].forbidden  # type: ignore[misc]
    url = _url(name, _kwargs(spec, world))
    assert _call(login(client, world["users"][persona]), url).status_code == 403
