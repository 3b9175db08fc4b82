"""Reading someone else's story is audited (issue 11, Must 6): the one-on-one page, the house
meeting page and the listening drill-down, one row per meeting whose notes were on the page."""

import pytest
from django.urls import reverse

from members.models import AuditEvent

from .conftest import SECRET
from .factories import HouseMeetingFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db


def story_reads():
    return AuditEvent.objects.filter(action="view_story")


def test_an_admin_reading_a_story_is_audited_without_the_story(
    client, login, admin_user, private_meeting
):
    page = login(client, admin_user).get(private_meeting.get_absolute_url())
    assert SECRET in page.content.decode()
    event = story_reads().get()
    assert event.actor == admin_user and event.person_id == private_meeting.person_id
    assert (event.object_type, event.object_id) == ("relationships.oneonone", private_meeting.pk)
    assert event.client_ip == "127.0.0.1"
    assert SECRET not in str(event.detail)


def test_the_core_team_reading_a_shared_story_is_audited(client, login, lead, private_meeting):
    private_meeting.notes_shared_with_core_team = True
    private_meeting.save()
    assert SECRET in login(client, lead).get(private_meeting.get_absolute_url()).content.decode()
    assert story_reads().get().actor == lead


def test_the_author_reading_their_own_story_is_not_a_disclosure(
    client, login, organizer, private_meeting
):
    assert login(client, organizer).get(private_meeting.get_absolute_url()).status_code == 200
    assert not story_reads().exists()


def test_no_row_when_the_story_is_hidden_or_empty(
    client, login, network_organizer, admin_user, private_meeting, member
):
    login(client, network_organizer).get(private_meeting.get_absolute_url())  # hidden from them
    empty = OneOnOneFactory(person=member, notes="")
    login(client, admin_user).get(empty.get_absolute_url())
    assert not story_reads().exists()


def test_house_meeting_notes_read_by_an_admin(client, login, admin_user, congregation):
    meeting = HouseMeetingFactory(congregation=congregation)
    assert login(client, admin_user).get(meeting.get_absolute_url()).status_code == 200
    event = story_reads().get()
    assert (event.object_type, event.object_id, event.person_id) == (
        "relationships.housemeeting",
        meeting.pk,
        None,
    )


def test_the_listening_drilldown_records_each_story_it_shows(
    client, login, admin_user, private_meeting, member, housing
):
    second = OneOnOneFactory(person=member, notes="Another story")
    second.issues.add(housing)
    url = reverse("relationships:listening_meetings")
    page = login(client, admin_user).get(url, {"issue": housing.pk})
    assert SECRET[:20] in page.content.decode()
    assert set(story_reads().values_list("object_id", flat=True)) == {private_meeting.pk, second.pk}
