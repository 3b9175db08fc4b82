"""Tags, taggings, events (actions) and attendances through /api/v2/."""

import datetime
import json

import pytest

from actions.models import Action, Attendance, Rsvp
from actions.services import attendance_rsvp
from members.models import AuditEvent, Person, Tag
from tests.api.conftest import uuid_of
from tests.campaigns.factories import ActionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def first(client, path, key):
    return client.get(path).json()["_embedded"][key][0]


def person_link(client, person_name):
    people = client.get("/api/v2/people", {"filter": f"given_name eq '{person_name}'"}).json()
    return people["_embedded"]["osdi:people"][0]["_links"]["self"]["href"]


def test_tags_list_and_create(api_as, lead, leader):
    Tag.objects.create(name="housing")
    client = api_as(lead)
    made = post(client, "/api/v2/tags", {"name": "Wages"})
    assert made.status_code == 201 and made.json()["name"] == "Wages"
    assert post(client, "/api/v2/tags/", {"name": "WAGES"}).status_code == 200  # same tag
    assert Tag.objects.count() == 2
    names = [t["name"] for t in client.get("/api/v2/tags").json()["_embedded"]["osdi:tags"]]
    assert names == ["housing", "Wages"]
    assert client.get(f"/api/v2/tags/{uuid_of(made.json())}").json()["name"] == "Wages"
    assert post(client, "/api/v2/tags", {"name": ""}).status_code == 400
    assert post(api_as(leader), "/api/v2/tags", {"name": "x"}).status_code == 403
    assert AuditEvent.objects.filter(action="api", detail__what="tag_create").count() == 1


def test_taggings_create_list_delete(api_as, lead, congregation, other_congregation):
    ana = PersonFactory(congregation=congregation, first_name="Ana")
    stranger = PersonFactory(congregation=other_congregation, first_name="Zed")
    tag = Tag.objects.create(name="housing")
    stranger.tags.add(tag)
    client = api_as(lead)
    tag_uuid = uuid_of(first(client, "/api/v2/tags", "osdi:tags"))
    taggings = f"/api/v2/tags/{tag_uuid}/taggings"
    assert client.get(taggings).json()["total_records"] == 0  # Zed's tagging is out of scope
    body = {"_links": {"osdi:person": {"href": person_link(client, "Ana")}}}
    made = post(client, taggings, body)
    assert made.status_code == 201 and list(ana.tags.all()) == [tag]
    assert post(client, taggings, body).status_code == 200  # once
    listed = client.get(taggings).json()["_embedded"]["osdi:taggings"]
    assert [t["_links"]["osdi:person"]["href"] for t in listed] == [
        body["_links"]["osdi:person"]["href"]
    ]
    one = f"{taggings}/{uuid_of(made.json())}"
    assert client.get(one).json()["item_type"] == "osdi:person"
    assert client.delete(one).json() == {"notice": "This tagging was successfully deleted."}
    assert not ana.tags.exists() and client.get(one).status_code == 404
    # a person out of scope is not found, whether linked or guessed
    ghost = {
        "_links": {"osdi:person": {"href": "/api/v2/people/00000000-0000-0000-0000-000000000000"}}
    }
    assert post(client, taggings, ghost).status_code == 404
    assert post(client, taggings, {"_links": {}}).status_code == 400


def test_a_leader_may_not_tag(api_as, leader, congregation):
    Tag.objects.create(name="housing")
    client = api_as(leader)
    tag_uuid = uuid_of(first(client, "/api/v2/tags", "osdi:tags"))
    me = {"_links": {"osdi:person": {"href": person_link(client, leader.person.first_name)}}}
    assert post(client, f"/api/v2/tags/{tag_uuid}/taggings", me).status_code == 403


def test_events_list_one_create(api_as, organizer, lead):
    action = ActionFactory(title="Housing assembly", place="Bushnell Park")
    client = api_as(lead)
    (event,) = client.get("/api/v2/events").json()["_embedded"]["osdi:events"]
    assert (event["title"], event["location"], event["status"]) == (
        "Housing assembly",
        {"venue": "Bushnell Park"},
        "confirmed",
    )
    assert client.get(f"/api/v2/events/{uuid_of(event)}").json()["title"] == action.title
    new = {"title": "Training", "start_date": "2030-01-10T18:00:00Z", "location": {"venue": "Hall"}}
    assert post(client, "/api/v2/events", new).status_code == 403  # leads do not schedule
    made = post(api_as(organizer), "/api/v2/events", {**new, "action_kind": "training"})
    assert made.status_code == 201
    created = Action.objects.get(title="Training")
    assert (created.kind, created.created_by, created.place) == ("training", organizer, "Hall")
    assert created.ends_at - created.starts_at == datetime.timedelta(hours=2)
    assert (
        client.get("/api/v2/events", {"filter": "start_date gt '2029-01-01'"}).json()[
            "total_records"
        ]
        == 1
    )


@pytest.mark.parametrize(
    "change",
    [
        {"location": {}},
        {"end_date": "2030-01-10T17:00:00Z"},
        {"status": "cancelled"},
        {"start_date": "someday"},
    ],
)
def test_event_create_refuses_invalid_input(api_as, organizer, change):
    body = {"title": "T", "start_date": "2030-01-10T18:00:00Z", "location": {"venue": "Hall"}}
    assert post(api_as(organizer), "/api/v2/events", {**body, **change}).status_code == 400
    assert not Action.objects.exists()


def test_attendances_list_and_rsvp(api_as, lead, leader, congregation, other_congregation):
    action = ActionFactory()
    ana = PersonFactory(congregation=congregation, first_name="Ana")
    stranger = PersonFactory(congregation=other_congregation)
    attendance_rsvp(action=action, person=stranger, rsvp=Rsvp.YES)
    client = api_as(lead)
    event = first(client, "/api/v2/events", "osdi:events")
    attendances = f"/api/v2/events/{uuid_of(event)}/attendances"
    assert client.get(attendances).json()["total_records"] == 0  # stranger out of scope
    assert event["total_accepted"] == 1  # a plain count, network-wide

    link = {"_links": {"osdi:person": {"href": person_link(client, "Ana")}}, "status": "tentative"}
    made = post(client, attendances, link)
    assert made.status_code == 201 and made.json()["status"] == "tentative"
    assert Attendance.objects.get(person=ana).rsvp == Rsvp.MAYBE
    assert post(client, attendances, {**link, "status": "accepted"}).status_code == 200
    assert Attendance.objects.get(person=ana).rsvp == Rsvp.YES
    (row,) = client.get(attendances).json()["_embedded"]["osdi:attendances"]
    assert client.get(f"{attendances}/{uuid_of(row)}").json()["status"] == "accepted"
    person_rows = client.get(person_link(client, "Ana") + "/attendances")
    assert person_rows.json()["total_records"] == 1

    inline = {"person": {"given_name": "Walk", "email_addresses": [{"address": "w@example.org"}]}}
    assert post(client, attendances, inline).status_code == 201
    assert Person.objects.get(email="w@example.org").attendances.get().action == action
    assert post(client, attendances, {}).status_code == 400
    assert post(api_as(leader), attendances, link).status_code == 403
    ghost = "/api/v2/events/00000000-0000-0000-0000-000000000000/attendances"
    assert post(client, ghost, link).status_code == 404
