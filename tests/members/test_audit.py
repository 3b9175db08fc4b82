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
        "ethnicity": person.ethnicity,
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
        data.pop("notes", None), data.pop("ethnicity", None)  # no sensitive fields for a lead
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
