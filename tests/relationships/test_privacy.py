"""Notes are private to the author and admins (and, when shared, the congregation's core team):
checked for every role on every page that shows meetings."""

import pytest
from django.urls import reverse

from members.selectors import people_visible_to
from relationships.selectors import one_on_ones_visible_to

from .conftest import SECRET
from .factories import HouseMeetingFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db


def body(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "reads_notes"),
    [
        ("organizer", True),  # the author
        ("admin_user", True),
        ("network_organizer", False),
        ("lead", False),
        ("core_team_user", False),  # not shared
    ],
)
def test_detail_shows_notes_only_to_author_and_admin(
    client, login, request, private_meeting, persona, reads_notes
):
    user = request.getfixturevalue(persona)
    login(client, user)
    if persona == "core_team_user":
        assert client.get(private_meeting.get_absolute_url()).status_code == 404
        return
    page = body(client, private_meeting.get_absolute_url())
    assert (SECRET in page) is reads_notes
    assert "Maria Santos" in page  # the meeting itself is visible


def test_shared_notes_reach_the_core_team_and_the_lead(
    client, login, private_meeting, core_team_user, lead, network_organizer
):
    private_meeting.notes_shared_with_core_team = True
    private_meeting.save()
    assert one_on_ones_visible_to(core_team_user).count() == 0  # a leader: own meetings only
    assert SECRET in body(login(client, lead), private_meeting.get_absolute_url())
    readable = one_on_ones_visible_to(core_team_user.__class__.objects.get(pk=lead.pk)).get()
    assert readable.visible_notes == SECRET
    # Sharing with the core team is not sharing with every organizer.
    assert SECRET not in body(login(client, network_organizer), private_meeting.get_absolute_url())


def test_selector_defers_and_blanks_notes(network_organizer, private_meeting):
    meeting = one_on_ones_visible_to(network_organizer).get()
    assert meeting.visible_notes == "" and meeting.notes_readable is False
    assert "notes" in meeting.get_deferred_fields()


@pytest.mark.parametrize("persona", ["network_organizer", "lead", "admin_user"])
def test_listening_drilldown_and_map_never_show_foreign_notes(
    client, login, request, private_meeting, persona
):
    login(client, request.getfixturevalue(persona))
    rollup = body(client, reverse("relationships:listening"))
    assert "housing" in rollup and SECRET not in rollup
    drill = body(
        client,
        reverse("relationships:listening_meetings") + f"?issue={private_meeting.issues.get().pk}",
    )
    assert "Maria Santos" in drill
    assert (SECRET[:40] in drill) is (persona == "admin_user")
    assert SECRET not in body(client, reverse("relationships:map"))


def test_person_search_and_timeline_do_not_leak_notes(
    client, login, network_organizer, private_meeting, member
):
    login(client, network_organizer)
    assert SECRET not in body(client, reverse("relationships:person_search") + "?q=Mar")
    assert SECRET not in body(client, reverse("home:person_practice", args=[member.pk]))
    assert SECRET not in body(client, member.get_absolute_url())


def test_admin_list_has_no_notes_column_and_search_skips_notes(
    client, login, admin_user, private_meeting
):
    login(client, admin_user)
    listing = body(client, reverse("admin:relationships_oneonone_changelist"))
    assert "Maria Santos" in listing and SECRET not in listing
    searched = body(client, reverse("admin:relationships_oneonone_changelist") + "?q=deported")
    assert "Maria Santos" not in searched


def test_house_meeting_notes_follow_the_same_rule(client, login, organizer, lead, congregation):
    meeting = HouseMeetingFactory(congregation=congregation, facilitator=organizer)
    assert meeting.notes in body(login(client, organizer), meeting.get_absolute_url())
    assert meeting.notes not in body(login(client, lead), meeting.get_absolute_url())


def test_leader_sees_only_own_meetings_and_the_people_they_met(
    client, login, leader, private_meeting, member
):
    login(client, leader)
    assert client.get(private_meeting.get_absolute_url()).status_code == 404
    assert member not in people_visible_to(leader)
    OneOnOneFactory(author=leader, person=member)
    assert member in people_visible_to(leader)
    assert client.get(member.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["network_organizer", "lead", "organizer"])
def test_people_export_and_directory_search_never_carry_meeting_notes(
    client, login, request, private_meeting, persona
):
    login(client, request.getfixturevalue(persona))
    export = client.get(reverse("members:export"))
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert SECRET.encode() not in content
    listing = client.get(reverse("members:person_list") + "?q=deported")
    assert SECRET not in listing.content.decode()
