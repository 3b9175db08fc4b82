"""Every look in the admin is audited (issue 11, Must 6): opening a person, a meeting or a ledger
entry, listing them with the filters used, and adding, changing (field names, never values) or
deleting one, with who and from which address. Nobody edits the audit log itself."""

import pytest
from django.urls import reverse

from members.models import AuditEvent
from tests.congregations.factories import LedgerEntryFactory
from tests.factories import PersonFactory
from tests.relationships.factories import HouseMeetingFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db

STORY = "Her brother was deported in 2019"


def form_data(response) -> dict:
    """What the admin's change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


@pytest.fixture
def meeting(congregation):
    person = PersonFactory(congregation=congregation, notes="private note on the person")
    return OneOnOneFactory(person=person, congregation=congregation, notes=STORY)


def test_opening_a_one_on_one_is_audited(client, login, admin_user, meeting):
    url = reverse("admin:relationships_oneonone_change", args=[meeting.pk])
    page = login(client, admin_user).get(url, REMOTE_ADDR="198.51.100.20")
    assert STORY in page.content.decode()
    event = AuditEvent.objects.get(action="admin_view")
    assert (event.actor, event.person_id, event.object_type, event.object_id) == (
        admin_user,
        meeting.person_id,
        "relationships.oneonone",
        meeting.pk,
    )
    assert event.client_ip == "198.51.100.20"


def test_a_change_in_the_admin_names_the_fields_not_the_values(client, login, admin_user, meeting):
    url = reverse("admin:relationships_oneonone_change", args=[meeting.pk])
    data = form_data(login(client, admin_user).get(url))
    data.update(notes="A rewritten story", place="Her kitchen")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="admin_change")
    assert event.detail == {"fields": ["notes", "place"]}
    assert event.person_id == meeting.person_id
    assert "rewritten" not in str(event.detail)


def test_deleting_a_meeting_in_the_admin_is_audited(client, login, admin_user, congregation):
    meeting = HouseMeetingFactory(congregation=congregation)
    url = reverse("admin:relationships_housemeeting_delete", args=[meeting.pk])
    assert login(client, admin_user).post(url, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action="admin_delete")
    assert (event.object_type, event.object_id) == ("relationships.housemeeting", meeting.pk)


def test_opening_a_person_is_audited_and_an_edit_is_recorded_once(
    client, login, admin_user, congregation
):
    person = PersonFactory(congregation=congregation, notes="private", town="Hartford")
    url = reverse("admin:members_person_change", args=[person.pk])
    page = login(client, admin_user).get(url)
    assert AuditEvent.objects.get(action="admin_view").person_id == person.pk
    data = form_data(page)
    data.update(
        {
            "town": "Bristol",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(person.memberships.get().pk),
            "memberships-0-person": str(person.pk),
            "memberships-0-congregation": str(congregation.pk),
            "memberships-0-is_primary": "on",
            "memberships-0-role": person.memberships.get().role,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # The service writes the one row (its own "update"), the admin adds no second one.
    assert list(AuditEvent.objects.filter(person_id=person.pk).values_list("action", "detail")) == [
        ("update", {"fields": ["town"]}),
        ("admin_view", {}),
    ]


def test_a_ledger_entry_view_and_the_ledger_list_are_audited(
    client, login, admin_user, congregation
):
    entry = LedgerEntryFactory(congregation=congregation)
    login(client, admin_user)
    assert (
        client.get(reverse("admin:congregations_ledgerentry_change", args=[entry.pk])).status_code
        == 200
    )
    listing = client.get(reverse("admin:congregations_ledgerentry_changelist"), {"kind": "payment"})
    assert listing.status_code == 200
    view = AuditEvent.objects.get(action="admin_view")
    assert (view.object_type, view.object_id, view.person_id) == (
        "congregations.ledgerentry",
        entry.pk,
        None,
    )
    listed = AuditEvent.objects.get(action="admin_list")
    assert (listed.object_type, listed.object_id) == ("congregations.ledgerentry", None)
    assert listed.detail == {"filters": {"kind": "payment"}}


def test_the_audit_log_itself_is_read_only_and_reading_it_writes_nothing(
    client, login, admin_user, meeting
):
    event = AuditEvent.objects.create(action="export")
    login(client, admin_user)
    change = reverse("admin:members_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # read
    assert client.post(change, {"action": "delete"}).status_code == 403  # never edited
    assert client.get(reverse("admin:members_auditevent_changelist")).status_code == 200
    assert AuditEvent.objects.count() == 1
