"""The staff admin for people: scoped querysets, audited deletes, archive actions."""

import pytest
from django.urls import reverse

from members.models import AuditEvent, Person, Tag
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_changelist_search_and_filters(client, login, admin_user, congregation):
    PersonFactory(congregation=congregation, first_name="Marisol", last_name="Vega")
    tag = Tag.objects.create(name="youth")
    login(client, admin_user)
    url = reverse("admin:members_person_changelist")
    assert b"Marisol" in client.get(url, {"q": "vega"}).content
    assert client.get(url, {"archived": "yes", "tags__id__exact": tag.pk}).status_code == 200
    assert client.get(reverse("admin:members_tag_changelist")).status_code == 200
    assert client.get(reverse("admin:members_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:members_importjob_changelist")).status_code == 200


def test_admin_delete_is_audited(client, login, admin_user, congregation):
    person = PersonFactory(congregation=congregation)
    login(client, admin_user)
    url = reverse("admin:members_person_delete", args=[person.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.filter(action="delete", person_id=person.pk).exists()


def test_archive_action(client, login, admin_user, congregation):
    person = PersonFactory(congregation=congregation)
    login(client, admin_user).post(
        reverse("admin:members_person_changelist"),
        {"action": "archive", "_selected_action": [person.pk]},
    )
    person.refresh_from_db()
    assert person.archived_at is not None
    assert AuditEvent.objects.filter(action="archive", person_id=person.pk).exists()


def test_audit_log_is_read_only(client, login, admin_user):
    event = AuditEvent.objects.create(action="export")
    login(client, admin_user)
    assert client.get(reverse("admin:members_auditevent_add")).status_code == 403
    url = reverse("admin:members_auditevent_delete", args=[event.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_congregation_and_membership_admin(client, login, admin_user, congregation):
    PersonFactory(congregation=congregation, last_name="Vega")
    login(client, admin_user)
    body = client.get(reverse("admin:congregations_congregation_changelist"), {"q": "mark"})
    assert b"St. Mark" in body.content
    body = client.get(reverse("admin:congregations_membership_changelist"), {"q": "vega"})
    assert b"Vega" in body.content
