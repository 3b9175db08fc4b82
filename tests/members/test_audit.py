"""The audit log says what happened (issue 11, Must 6): which fields an edit changed (names, never
the values), who read sensitive fields and where, and from which address."""

import pytest
from django.urls import reverse

from members.models import AuditEvent, Person, Tag
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def edit_data(person, congregation, **extra):
    """The person form as the edit page would post it back unchanged."""
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "street": person.street,
        "town": person.town,
        "zip": person.zip,
        "language": person.language,
        "email_ok": "on" if person.email_ok else "",
        "congregation": congregation.pk,
        "notes": person.notes,
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value != ""}


class TestEditNamesTheChangedFields:
    def test_edit_records_changed_field_names_not_values(
        self, client, login, organizer, congregation
    ):
        person = PersonFactory(congregation=congregation, town="Hartford", notes="old story")
        url = reverse("members:person_edit", args=[person.pk])
        data = edit_data(person, congregation, town="New Britain", notes="a private new story")
        assert login(client, organizer).post(url, data).status_code == 302
        event = AuditEvent.objects.get(action="update", person_id=person.pk)
        assert event.detail["fields"] == ["notes", "town"]
        assert "private new story" not in str(event.detail)
        assert "New Britain" not in str(event.detail)

    def test_an_unchanged_save_names_no_field(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation, town="Hartford")
        url = reverse("members:person_edit", args=[person.pk])
        data = edit_data(person, congregation)
        data.pop("notes", None)  # no sensitive field for a lead
        assert login(client, lead).post(url, data).status_code == 302
        assert AuditEvent.objects.get(action="update").detail["fields"] == []

    def test_congregations_and_tags_are_named_too(
        self, client, login, organizer, congregation, other_congregation
    ):
        organizer.congregations.add(other_congregation)
        person = PersonFactory(congregation=congregation)
        person.tags.add(Tag.objects.create(name="choir"))
        url = reverse("members:person_edit", args=[person.pk])
        data = edit_data(person, other_congregation, new_tags="youth")
        assert login(client, organizer).post(url, data).status_code == 302
        fields = AuditEvent.objects.get(action="update").detail["fields"]
        assert fields == ["congregation", "tags"]
        assert Person.objects.get().memberships.get(is_primary=True).congregation == (
            other_congregation
        )


class TestSensitiveReads:
    def test_the_edit_form_showing_notes_is_a_sensitive_read(
        self, client, login, organizer, congregation
    ):
        person = PersonFactory(congregation=congregation, notes="secret story")
        page = login(client, organizer).get(reverse("members:person_edit", args=[person.pk]))
        assert "secret story" in page.content.decode()
        event = AuditEvent.objects.get(action="view_sensitive")
        assert (event.actor, event.person_id, event.detail) == (
            organizer,
            person.pk,
            {"where": "edit"},
        )

    def test_a_leads_edit_form_has_no_sensitive_fields_and_no_row(
        self, client, login, lead, congregation
    ):
        person = PersonFactory(congregation=congregation, notes="secret story")
        page = login(client, lead).get(reverse("members:person_edit", args=[person.pk]))
        assert page.status_code == 200 and "secret story" not in page.content.decode()
        assert not AuditEvent.objects.filter(action="view_sensitive").exists()

    def test_the_person_page_says_where(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation, notes="a hard conversation")
        login(client, organizer).get(person.get_absolute_url())
        assert AuditEvent.objects.get(action="view_sensitive").detail == {"where": "page"}


class TestFromWhichAddress:
    def test_without_a_proxy_the_address_is_the_peer(self, client, login, organizer, congregation):
        person = PersonFactory(congregation=congregation, notes="secret")
        login(client, organizer).get(
            person.get_absolute_url(), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6"
        )
        assert AuditEvent.objects.get().client_ip == "203.0.113.9"  # the header is not believed

    def test_behind_the_documented_proxy_the_address_is_the_client(
        self, client, login, organizer, congregation, settings
    ):
        settings.TRUSTED_PROXY_COUNT = 1
        person = PersonFactory(congregation=congregation, notes="secret")
        login(client, organizer).get(
            person.get_absolute_url(),
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",  # a forged entry, then the client
        )
        assert AuditEvent.objects.get().client_ip == "198.51.100.7"

    def test_an_export_records_its_filters_and_address(self, client, login, lead, congregation):
        PersonFactory(congregation=congregation)
        response = login(client, lead).get(
            reverse("members:export"), {"q": "ana", "page": "2"}, REMOTE_ADDR="2001:db8::1"
        )
        b"".join(response.streaming_content)
        event = AuditEvent.objects.get(action="export")
        assert event.detail == {"export": "people", "filters": {"q": "ana"}}
        assert event.client_ip == "2001:db8::1"

    def test_a_task_or_command_records_no_address(self, organizer):
        from members.services import audit_log

        assert audit_log(by=organizer, action="export").client_ip is None
