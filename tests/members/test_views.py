"""People pages: directory, person page, create/edit, ladder, archive, delete, export.

Per view: happy path, invalid input, another congregation's person (404), anonymous (login),
wrong method (405); list pages keep a flat query count.
"""

import csv
import io

import pytest
from django.urls import reverse

from congregations.models import Membership
from members.models import AuditEvent, Demographics, LeadershipChange, Level, Person, Tag
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:person_list")


def person_urls(person):
    return {
        "detail": ("get", reverse("members:person_detail", args=[person.pk])),
        "edit": ("get", reverse("members:person_edit", args=[person.pk])),
        "ladder": ("post", reverse("members:person_ladder", args=[person.pk])),
        "archive": ("post", reverse("members:person_archive", args=[person.pk])),
    }


PAGES = [
    "members:person_list",
    "members:person_create",
    "members:export",
    "members:import_start",
    "members:duplicates",
]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["members:person_list", "members:export", "members:duplicates"])
def test_get_only_pages_refuse_post(client, login, organizer, name):
    assert login(client, organizer).post(reverse(name)).status_code == 405


def test_person_pages_refuse_wrong_methods(client, login, organizer, congregation):
    person = PersonFactory(congregation=congregation)
    login(client, organizer)
    assert client.post(person.get_absolute_url()).status_code == 405
    assert client.get(reverse("members:person_ladder", args=[person.pk])).status_code == 405
    assert client.get(reverse("members:person_archive", args=[person.pk])).status_code == 405
    assert client.put(reverse("members:person_edit", args=[person.pk])).status_code == 405


@pytest.mark.parametrize("view", ["detail", "edit", "ladder", "archive"])
def test_another_congregations_person_is_404(client, login, lead, other_congregation, view):
    stranger = PersonFactory(congregation=other_congregation)
    method, url = person_urls(stranger)[view]
    response = getattr(login(client, lead), method)(url, {"to_level": "leader", "reason": "x"})
    assert response.status_code == 404


def test_anonymous_person_page_goes_to_login(client, congregation):
    person = PersonFactory(congregation=congregation)
    assert client.get(person.get_absolute_url()).status_code == 302


class TestDirectory:
    def test_scope_and_search(self, client, login, lead, congregation, other_congregation):
        PersonFactory(congregation=congregation, first_name="Marisol", last_name="Vega")
        PersonFactory(congregation=other_congregation, first_name="Marta", last_name="Cohen")
        body = login(client, lead).get(LIST, {"q": "Mar"}).content
        assert b"Marisol" in body and b"Marta" not in body

    def test_search_ignores_accents_and_finds_any_name_word(
        self, client, login, organizer, congregation
    ):
        PersonFactory(congregation=congregation, first_name="María José", last_name="Núñez")
        PersonFactory(congregation=congregation, first_name="Tom", last_name="O'Brien")
        login(client, organizer)
        for query in ["nunez", "NÚÑEZ", "jose nun", "Maria", "josé"]:
            assert "Núñez" in client.get(LIST, {"q": query}).content.decode(), query
        assert "Brien" in client.get(LIST, {"q": "brien"}).content.decode()
        assert "Núñez" not in client.get(LIST, {"q": "unez"}).content.decode()
        assert client.get(LIST, {"q": "[(*+?"}).status_code == 200  # regex characters escaped

    def test_search_by_email_and_phone(self, client, login, organizer, congregation):
        PersonFactory(congregation=congregation, first_name="Ana", email="ana.r@example.org")
        PersonFactory(congregation=congregation, first_name="Tom", email="", phone="+18605550142")
        login(client, organizer)
        assert b"Ana" in client.get(LIST, {"q": "ana.r@"}).content
        body = client.get(LIST, {"q": "(860) 555-0142"}).content
        assert b"Tom" in body and b"Ana" not in body
        assert b"Tom" in client.get(LIST, {"q": "0142"}).content

    def test_filters(self, client, login, organizer, congregation):
        youth = Tag.objects.create(name="youth")
        ana = PersonFactory(
            congregation=congregation,
            first_name="Ana",
            level=Level.LEADER,
            language="es",
            town="Hartford",
        )
        ana.tags.add(youth)
        PersonFactory(congregation=congregation, first_name="Tom", email="", town="Bridgeport")
        login(client, organizer)

        def names(**params):
            body = client.get(LIST, params).content.decode()
            return {n for n in ("Ana", "Tom") if f">{n} " in body}

        assert names(level="leader") == {"Ana"}
        assert names(tag=youth.pk) == {"Ana"}
        assert names(language="es") == {"Ana"}
        assert names(town="bridgeport") == {"Tom"}
        assert names(has_email="false") == {"Tom"}
        assert names(congregation=congregation.pk) == {"Ana", "Tom"}

    def test_result_count_and_sort(self, client, login, organizer, congregation):
        PersonFactory(congregation=congregation, first_name="Zed", last_name="Adams")
        PersonFactory(
            congregation=congregation, first_name="Amy", last_name="Young", level=Level.KEY_LEADER
        )
        login(client, organizer)
        body = client.get(LIST).content.decode()
        assert 'data-testid="result-count">2<' in body
        assert body.index("Zed") < body.index("Amy")  # last name
        body = client.get(LIST, {"sort": "first"}).content.decode()
        assert body.index("Amy") < body.index("Zed")
        body = client.get(LIST, {"sort": "-level"}).content.decode()
        assert body.index("Amy") < body.index("Zed")

    def test_other_congregation_filter_value_is_ignored(
        self, client, login, lead, congregation, other_congregation
    ):
        PersonFactory(congregation=other_congregation, first_name="Marta")
        response = login(client, lead).get(LIST, {"congregation": other_congregation.pk})
        assert response.status_code == 200 and b"Marta" not in response.content

    def test_archived_people_are_hidden_unless_asked(self, client, login, organizer, congregation):
        from django.utils import timezone

        PersonFactory(congregation=congregation, first_name="Gone", archived_at=timezone.now())
        login(client, organizer)
        assert b"Gone" not in client.get(LIST).content
        assert b"Gone" in client.get(LIST, {"status": "archived"}).content

    def test_absurd_input(self, client, login, lead):
        absurd = {"q": "x" * 2000, "page": "not-a-number", "level": "nope", "sort": "evil"}
        assert login(client, lead).get(LIST, absurd).status_code == 200
        # Longer than any page takes: refused before the view (conect.middleware.QueryGuard…).
        assert client.get(LIST, {**absurd, "q": "x" * 5000}).status_code == 400

    def test_names_are_escaped(self, client, login, lead, congregation):
        PersonFactory(congregation=congregation, first_name="<script>alert(1)</script>")
        body = login(client, lead).get(LIST).content.decode()
        assert "<script>alert(1)" not in body and "&lt;script&gt;" in body

    def test_query_count_is_flat(
        self, client, login, organizer, congregation, django_assert_max_num_queries
    ):
        login(client, organizer)
        tag = Tag.objects.create(name="youth")
        for person in PersonFactory.create_batch(5, congregation=congregation):
            person.tags.add(tag)
        with django_assert_max_num_queries(10):
            client.get(LIST, {"q": "a", "sort": "-level"})
        for person in PersonFactory.create_batch(80, congregation=congregation):
            person.tags.add(tag)
        with django_assert_max_num_queries(10):
            client.get(LIST, {"q": "a", "sort": "-level"})
        with django_assert_max_num_queries(10):
            client.get(LIST, {"page": 2})


class TestPersonPage:
    def test_happy_path_for_a_lead(self, client, login, lead, congregation):
        person = PersonFactory(
            congregation=congregation,
            first_name="Ana",
            notes="secret story",
        )
        Demographics.objects.create(person=person, groups=["latino"], self_described="Puerto Rican")
        body = login(client, lead).get(person.get_absolute_url()).content.decode()
        assert "Ana" in body and "Timeline" in body
        assert f"/people/{person.pk}/practice/" in body  # the meetings panel
        assert "secret story" not in body and "Puerto Rican" not in body
        assert not AuditEvent.objects.filter(action="view_sensitive").exists()

    def test_organizer_sees_sensitive_fields_and_it_is_audited(
        self, client, login, organizer, congregation
    ):
        person = PersonFactory(congregation=congregation, notes="secret story")
        body = login(client, organizer).get(person.get_absolute_url()).content.decode()
        assert "secret story" in body
        event = AuditEvent.objects.get(action="view_sensitive")
        assert event.actor == organizer and event.person_id == person.pk

    def test_shows_memberships_consent_and_history(
        self, client, login, organizer, congregation, other_congregation
    ):
        person = PersonFactory(congregation=congregation, do_not_contact=True)
        Membership.objects.create(person=person, congregation=other_congregation, is_primary=False)
        LeadershipChange.objects.create(
            person=person, from_level="member", to_level="participant", reason="came to 3 meetings"
        )
        body = login(client, organizer).get(person.get_absolute_url()).content.decode()
        assert "Temple Sinai" in body and "(primary)" in body
        assert "Do not contact" in body and "came to 3 meetings" in body

    def test_leader_sees_themself_but_cannot_edit(self, client, login, leader):
        me = Person.objects.get(user=leader)
        login(client, leader)
        body = client.get(me.get_absolute_url()).content.decode()
        assert "Edit" not in body
        # in scope (their own record) but not their role: 403, not 404
        assert client.get(reverse("members:person_edit", args=[me.pk])).status_code == 403
        assert client.get(reverse("members:person_create")).status_code == 403


class TestCreateAndEdit:
    def data(self, congregation, **extra):
        return {
            "first_name": "  ana ",
            "last_name": "RUIZ",
            "email": " Ana@Example.org ",
            "phone": "(860) 555-0123",
            "zip": "6103",
            "town": "Hartford",
            "language": "es",
            "email_ok": "on",
            "congregation": congregation.pk,
            "new_tags": "youth, choir",
            **extra,
        }

    def test_create_normalises_and_records(self, client, login, lead, congregation):
        response = login(client, lead).post(
            reverse("members:person_create"), self.data(congregation)
        )
        person = Person.objects.get()
        assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
        assert (person.first_name, person.last_name) == ("Ana", "Ruiz")
        assert (person.email, person.phone, person.zip) == (
            "ana@example.org",
            "+18605550123",
            "06103",
        )
        assert person.memberships.get().congregation == congregation
        assert set(person.tags.values_list("name", flat=True)) == {"youth", "choir"}
        assert person.ladder_history.get().changed_by == lead
        assert AuditEvent.objects.filter(action="create", person_id=person.pk).exists()

    def test_invalid_input_shows_every_error(self, client, login, lead, congregation):
        response = login(client, lead).post(
            reverse("members:person_create"),
            self.data(congregation, first_name="", email="nope@", phone="555", zip="ABC"),
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.errors) >= {"first_name", "email", "phone", "zip"}
        assert Person.objects.count() == 0

    def test_cannot_put_a_person_in_someone_elses_congregation(
        self, client, login, lead, congregation, other_congregation
    ):
        response = login(client, lead).post(
            reverse("members:person_create"), self.data(other_congregation)
        )
        assert response.status_code == 200 and "congregation" in response.context["form"].errors

    def test_duplicate_email_is_refused(self, client, login, lead, congregation):
        PersonFactory(email="ana@example.org", congregation=congregation)
        response = login(client, lead).post(
            reverse("members:person_create"), self.data(congregation)
        )
        assert "email" in response.context["form"].errors

    def test_edit(self, client, login, lead, congregation):
        person = PersonFactory(
            congregation=congregation, first_name="Ana", notes="kept", email="a@example.org"
        )
        login(client, lead)
        assert (
            b"Private notes"
            not in client.get(reverse("members:person_edit", args=[person.pk])).content
        )
        response = client.post(
            reverse("members:person_edit", args=[person.pk]),
            self.data(congregation, email="a@example.org", sms_ok="on"),
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.sms_ok and person.language == "es"
        assert person.notes == "kept"  # a lead's form has no notes field: it stays

    def test_edit_invalid(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        response = login(client, lead).post(
            reverse("members:person_edit", args=[person.pk]), self.data(congregation, phone="12")
        )
        assert response.status_code == 200 and "phone" in response.context["form"].errors


class TestLadderArchiveDelete:
    def test_ladder_move_keeps_who_and_why(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        login(client, lead).post(
            reverse("members:person_ladder", args=[person.pk]),
            {"to_level": "core_team", "reason": "chaired the assembly"},
        )
        person.refresh_from_db()
        change = person.ladder_history.get()
        assert person.level == Level.CORE_TEAM
        assert (change.from_level, change.changed_by, change.reason) == (
            "member",
            lead,
            "chaired the assembly",
        )
        assert person.memberships.get().role == "core_team"

    def test_ladder_move_needs_a_reason(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation)
        response = login(client, lead).post(
            reverse("members:person_ladder", args=[person.pk]), {"to_level": "leader"}, follow=True
        )
        assert response.status_code == 200 and b"Not moved" in response.content
        person.refresh_from_db()
        assert person.level == Level.MEMBER

    def test_archive_and_restore(self, client, login, lead, congregation):
        person = PersonFactory(congregation=congregation, first_name="Ana")
        url = reverse("members:person_archive", args=[person.pk])
        login(client, lead).post(url)
        person.refresh_from_db()
        assert person.archived_at is not None
        assert b"Ana" not in client.get(LIST).content
        assert client.get(person.get_absolute_url()).status_code == 200
        client.post(url, {"restore": "1"})
        person.refresh_from_db()
        assert person.archived_at is None

    def test_only_admins_delete_and_it_is_audited(
        self, client, login, organizer, admin_user, congregation
    ):
        person = PersonFactory(congregation=congregation, first_name="Erase", last_name="Me")
        url = reverse("members:person_delete", args=[person.pk])
        assert login(client, organizer).get(url).status_code == 403  # in scope, not theirs
        login(client, admin_user)
        response = client.post(url, {"reason": "privacy request"})
        assert response.status_code == 200 and Person.objects.filter(pk=person.pk).exists()
        response = client.post(url, {"reason": "privacy request", "confirm": "on"})
        assert response.status_code == 302 and not Person.objects.filter(pk=person.pk).exists()
        event = AuditEvent.objects.get(action="delete")
        assert event.person_id == person.pk and event.detail["reason"] == "privacy request"
        assert "Erase" not in str(event.detail)


class TestExport:
    def test_export_is_scoped_filtered_neutralised_and_has_a_bom(
        self, client, login, lead, congregation, other_congregation
    ):
        PersonFactory(
            congregation=congregation,
            first_name='=HYPERLINK("x")',
            last_name="A",
            level=Level.LEADER,
            phone="+18605550100",
        )
        PersonFactory(congregation=congregation, first_name="Tom", last_name="B")
        PersonFactory(congregation=other_congregation, first_name="Marta")
        response = login(client, lead).get(reverse("members:export"), {"level": "leader"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        data = b"".join(response.streaming_content)
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) == 1
        assert rows[0]["first_name"] == '\'=HYPERLINK("x")'
        assert rows[0]["phone"] == "'+18605550100"
        assert rows[0]["congregation"] == "st-marks"
        assert AuditEvent.objects.filter(action="export", actor=lead).exists()

    def test_export_query_count_is_flat(
        self, client, login, organizer, congregation, django_assert_max_num_queries
    ):
        PersonFactory.create_batch(30, congregation=congregation)
        login(client, organizer)
        with django_assert_max_num_queries(10):
            b"".join(client.get(reverse("members:export")).streaming_content)


def test_pages_in_spanish(client, login, lead, congregation):
    login(client, lead)
    client.cookies["django_language"] = "es"
    body = client.get(LIST, {"q": "nadie"}).content.decode()
    assert "Nadie coincide." in body and "Filtros y orden" in body
    body = client.get(congregation.get_absolute_url()).content.decode()
    assert "Ver a las personas" in body
    response = client.post(reverse("members:person_create"), {"first_name": "Ana", "phone": "12"})
    assert "no es un teléfono" in response.content.decode()


def test_not_met_filter(client, login, organizer, congregation):
    import datetime

    from django.utils import timezone

    from tests.relationships.factories import OneOnOneFactory

    met = PersonFactory(congregation=congregation, first_name="Recent")
    old = PersonFactory(congregation=congregation, first_name="Cooled")
    PersonFactory(congregation=congregation, first_name="Never")
    today = timezone.localdate()
    OneOnOneFactory(person=met, held_on=today - datetime.timedelta(days=10))
    OneOnOneFactory(person=old, held_on=today - datetime.timedelta(days=200))
    body = login(client, organizer).get(LIST, {"not_met": "90"}).content.decode()
    assert "Cooled" in body and "Never" in body and "Recent " not in body


def test_export_then_import_changes_nothing(client, login, organizer, congregation):
    from members.importing import decode
    from members.services import people_import

    tag = Tag.objects.create(name="youth")
    for person in PersonFactory.create_batch(3, congregation=congregation, phone="+18605550100"):
        person.tags.add(tag)
    PersonFactory(congregation=congregation, first_name="-Dash", email="", zip="06103")
    data = b"".join(login(client, organizer).get(reverse("members:export")).streaming_content)
    plan = people_import(text=decode(data), by=organizer, congregations=[congregation])
    assert plan.is_valid and not plan.has_changes
    assert Person.objects.count() == 4


def test_edit_other_congregations_within_scope(
    client, login, lead_of, congregation, other_congregation
):
    from tests.factories import CongregationFactory

    third = CongregationFactory(name="Third Church")
    lead = lead_of(congregation, other_congregation)
    person = PersonFactory(congregation=congregation, email="a@x.org")
    Membership.objects.create(person=person, congregation=third, is_primary=False)  # not hers
    login(client, lead)
    data = {
        "first_name": "Ana",
        "email": "a@x.org",
        "language": "en",
        "congregation": congregation.pk,
        "other_congregations": [other_congregation.pk],
    }
    assert client.post(reverse("members:person_edit", args=[person.pk]), data).status_code == 302
    assert set(person.memberships.values_list("congregation__name", "is_primary")) == {
        (congregation.name, True),
        (other_congregation.name, False),
        ("Third Church", False),
    }
    data["other_congregations"] = []
    client.post(reverse("members:person_edit", args=[person.pk]), data)
    assert set(person.memberships.values_list("congregation__name", flat=True)) == {
        congregation.name,
        "Third Church",
    }  # a membership the lead cannot see is left alone
    response = client.post(
        reverse("members:person_edit", args=[person.pk]),
        {**data, "other_congregations": [third.pk]},
    )
    assert response.status_code == 200 and "other_congregations" in response.context["form"].errors


def test_leaders_cannot_export(client, login, leader):
    assert login(client, leader).get(reverse("members:export")).status_code == 403


def test_beat_purges_unconfirmed_uploads(db):
    from django.conf import settings

    from conect.celery import app
    from members.tasks import purge_import_uploads_task

    entry = settings.CELERY_BEAT_SCHEDULE["members-purge-import-uploads"]
    assert entry["task"] in app.tasks
    assert purge_import_uploads_task.delay().get() == 0
