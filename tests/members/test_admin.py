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


def test_a_person_added_in_the_admin_gets_a_ladder_row_and_an_audit_row(
    client, login, admin_user, congregation
):
    """The admin goes through members.services like the app's forms (issue 10): without it, a
    person added in /admin/ had no first ladder row and no audit row."""
    login(client, admin_user)
    add = reverse("admin:members_person_add")
    form = client.get(add).context["adminform"].form
    data = {
        name: field.initial if field.initial is not None else ""
        for name, field in form.fields.items()
        if name not in ("tags", "user")
    }
    data.update(first_name="Rosa", last_name="Parks", language="en", email="rosa@example.org")
    prefix = "memberships"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-congregation": congregation.pk,
            f"{prefix}-0-is_primary": "on",
            f"{prefix}-0-role": "member",
        }
    )
    data = {key: value for key, value in data.items() if value is not False}
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(last_name="Parks")
    assert person.ladder_history.filter(from_level="", changed_by=admin_user).exists()
    assert AuditEvent.objects.filter(action="create", person_id=person.pk, actor=admin_user)

    change = reverse("admin:members_person_change", args=[person.pk])
    data.update(
        {
            "town": "Hartford",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": person.memberships.get().pk,
            f"{prefix}-0-person": person.pk,
        }
    )
    assert client.post(change, data).status_code == 302
    event = AuditEvent.objects.get(action="update", person_id=person.pk)
    assert event.actor == admin_user and "town" in event.detail["fields"]


def test_the_ladder_history_is_read_only_in_the_admin(client, login, admin_user):
    login(client, admin_user)
    assert client.get(reverse("admin:members_leadershipchange_add")).status_code == 403
