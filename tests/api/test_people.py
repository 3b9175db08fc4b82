"""/api/v2/people: the list, one person, the signup helper; scope, privacy and audit."""

import json

import pytest
from django.test import Client

from api.services import identity_of
from members.models import AuditEvent, Demographics, Person, Tag
from tests.api.conftest import uuid_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v2/people"


def post(client, body, path=PEOPLE):
    return client.post(path, json.dumps(body), content_type="application/json")


def signup(email="ana@example.org", **person):
    return {"person": {"email_addresses": [{"address": email}], **person}}


def test_list_is_scoped_and_shaped(api_as, lead, congregation, other_congregation):
    mine = PersonFactory(congregation=congregation)
    PersonFactory(congregation=other_congregation)
    response = api_as(lead).get(PEOPLE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/hal+json"
    body = response.json()
    assert (body["total_records"], body["total_pages"], body["page"]) == (1, 1, 1)
    (person,) = body["_embedded"]["osdi:people"]
    assert person["given_name"] == mine.first_name
    assert person["email_addresses"] == [
        {"primary": True, "address": mine.email, "status": "subscribed"}
    ]
    assert person["identifiers"][0].startswith("conect:")
    assert person["_links"]["self"]["href"].endswith(f"/api/v2/people/{uuid_of(person)}")
    assert person["created_date"].endswith("Z") and person["custom_fields"]["congregation"]


def test_anonymous_and_bad_tokens_are_401(db):
    assert Client().get(PEOPLE).status_code == 401
    bad = Client(headers={"OSDI-API-Token": "conect_nope"}).get(PEOPLE)
    assert bad.status_code == 401 and bad.json() == {"error": "API token invalid or revoked."}


def test_pages_hold_25_at_most_and_past_the_end_is_empty(api_as, organizer, congregation):
    PersonFactory.create_batch(27, congregation=congregation)
    client = api_as(organizer)
    first = client.get(PEOPLE, {"per_page": 100}).json()
    assert (first["per_page"], first["total_pages"], first["total_records"]) == (25, 2, 27)
    assert len(first["_embedded"]["osdi:people"]) == 25 and "next" in first["_links"]
    second = client.get(first["_links"]["next"]["href"]).json()
    assert len(second["_embedded"]["osdi:people"]) == 2
    assert client.get(PEOPLE, {"page": 3}).json()["_embedded"]["osdi:people"] == []
    assert client.get(PEOPLE, {"page": 0}).status_code == 400
    assert client.get(PEOPLE, {"per_page": "many"}).status_code == 400


def test_list_costs_the_same_for_5_or_25_people(
    api_as, organizer, congregation, django_assert_max_num_queries
):
    client = api_as(organizer)
    PersonFactory.create_batch(5, congregation=congregation)
    client.get(PEOPLE)  # identities made on first sight: not counted below
    # token, scope, count, page, primary congregations, identities
    with django_assert_max_num_queries(7):
        client.get(PEOPLE)
    PersonFactory.create_batch(20, congregation=congregation)
    client.get(PEOPLE)
    with django_assert_max_num_queries(7):
        assert len(client.get(PEOPLE).json()["_embedded"]["osdi:people"]) == 25


def test_filters(api_as, organizer, congregation):
    ana = PersonFactory(congregation=congregation, email="ana@example.org")
    PersonFactory(congregation=congregation)
    client = api_as(organizer)

    def names(text):
        response = client.get(PEOPLE, {"filter": text})
        assert response.status_code == 200, response.content
        return [p["given_name"] for p in response.json()["_embedded"]["osdi:people"]]

    assert names("email_address eq 'ANA@example.org'") == [ana.first_name]
    assert len(names("modified_date gt '2000-01-01'")) == 2
    assert names("modified_date gt '2999-01-01T00:00:00Z'") == []
    assert names(f"email_address eq 'ana@example.org' and given_name eq '{ana.first_name}'")
    for bad in ["ethnicity eq 'x'", "modified_date gt 'soon'", "email_address gt 'a'", "junk"]:
        response = client.get(PEOPLE, {"filter": bad})
        assert response.status_code == 400 and "filter" in response.json()["errors"]


def test_one_person_and_404s(api_as, lead, congregation, other_congregation):
    mine = PersonFactory(congregation=congregation)
    theirs = PersonFactory(congregation=other_congregation)
    organizer_view = api_as(lead).get(PEOPLE).json()["_embedded"]["osdi:people"][0]
    client = api_as(lead)
    assert client.get(f"{PEOPLE}/{uuid_of(organizer_view)}").json()["given_name"] == mine.first_name
    other = identity_of(theirs)
    assert client.get(f"{PEOPLE}/{other.uuid}").status_code == 404  # exists, not in scope
    assert client.get(f"{PEOPLE}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/api/v2/nothing-here").json() == {"error": "Not found."}
    assert client.put(f"{PEOPLE}/{uuid_of(organizer_view)}", {}).status_code == 405


def test_private_fields_and_do_not_contact_details_never_leave(api_as, organizer, congregation):
    quiet = PersonFactory(
        congregation=congregation,
        first_name="Quiet",
        email="quiet@example.org",
        phone="+18605550199",
        street="1 Elm St",
        zip="06103",
        do_not_contact=True,
        notes="private one-on-one notes",
    )
    Demographics.objects.create(
        person=quiet, groups=["latino"], self_described="Puerto Rican", consented_on="2026-01-05"
    )
    client = api_as(organizer)
    text = client.get(PEOPLE).content.decode()
    for secret in ["quiet@example.org", "5550199", "Elm St", "06103", "private", "Puerto"]:
        assert secret not in text
    (person,) = json.loads(text)["_embedded"]["osdi:people"]
    assert person["custom_fields"]["do_not_contact"] == "true"
    assert (person["email_addresses"], person["phone_numbers"], person["postal_addresses"]) == (
        [],
        [],
        [],
    )
    found = client.get(PEOPLE, {"filter": "email_address eq 'quiet@example.org'"}).json()
    assert found["total_records"] == 0  # the API does not confirm their address either


def test_signup_adds_then_matches_like_the_import(api_as, lead, congregation):
    client = api_as(lead)
    body = signup(
        given_name="Ana",
        family_name="Ruiz",
        identifiers=["their_crm:123", "conect:forged"],
        phone_numbers=[{"number": "860 555 0100", "status": "subscribed"}],
    )
    created = post(client, {**body, "add_tags": ["Housing", "wages"]})
    assert created.status_code == 201, created.content
    person = Person.objects.get()
    assert person.memberships.get().congregation == congregation
    assert (person.phone, person.sms_ok) == ("+18605550100", True)
    assert set(person.tags.values_list("name", flat=True)) == {"Housing", "wages"}
    assert created.json()["identifiers"][1:] == ["their_crm:123"]

    again = post(client, {**signup("ANA@EXAMPLE.ORG", given_name="Ana"), "add_tags": ["housing"]})
    assert again.status_code == 200 and Person.objects.count() == 1
    assert uuid_of(again.json()) == uuid_of(created.json())
    assert Tag.objects.count() == 2  # "housing" is the existing "Housing"
    writes = AuditEvent.objects.filter(action="api", person_id=person.pk)
    assert writes.count() == 2 and writes.first().detail["what"] == "person_signup"


def test_signup_by_email_alone_updates_but_never_invents_a_name(api_as, lead, congregation):
    known = PersonFactory(congregation=congregation, email="ana@example.org", email_ok=True)
    client = api_as(lead)
    unsubscribe = {
        "person": {"email_addresses": [{"address": "ana@example.org", "status": "unsubscribed"}]}
    }
    assert post(client, unsubscribe).status_code == 200
    known.refresh_from_db()
    assert known.email_ok is False
    unknown = post(client, signup("nobody@example.org"))
    assert unknown.status_code == 400 and "given_name" in unknown.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"person": {"given_name": "Ana"}}, "email address or a phone"),
        (signup("not-an-email", given_name="Ana"), "is not an email address"),
        (signup(given_name="Ana", custom_fields={"congregation": "temple-sinai"}), "Unknown"),
        ({"person": "Ana"}, "person"),
    ],
)
def test_signup_refuses_invalid_input(api_as, lead, other_congregation, body, message):
    response = post(api_as(lead), body)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Person.objects.exists()


def test_signup_needs_a_congregation_when_the_user_has_several(
    api_as, network_organizer, congregation, other_congregation
):
    client = api_as(network_organizer)
    assert post(client, signup(given_name="Ana")).status_code == 400
    chosen = signup(given_name="Ana", custom_fields={"congregation": "Temple Sinai"})
    assert post(client, chosen).status_code == 201
    assert Person.objects.get().memberships.get().congregation == other_congregation


def test_a_leader_may_read_but_not_sign_people_up(api_as, leader):
    client = api_as(leader)
    assert client.get(PEOPLE).json()["total_records"] == 1  # themself
    assert post(client, signup(given_name="Ana")).status_code == 403


def test_signup_never_matches_someone_outside_the_callers_scope(
    api_as, lead, congregation, other_congregation
):
    theirs = PersonFactory(email="ana@example.org", congregation=other_congregation)
    response = post(api_as(lead), signup(given_name="Ana", family_name="Ruiz"))
    assert response.status_code == 201  # a new person in the lead's congregation
    mine = Person.objects.exclude(pk=theirs.pk).get()
    assert mine.memberships.get().congregation == congregation
    assert not theirs.memberships.filter(congregation=congregation).exists()
    assert uuid_of(response.json()) == str(identity_of(mine).uuid)  # the new one, not theirs
