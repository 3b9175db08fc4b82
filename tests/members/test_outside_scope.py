"""Forms, the ladder and the API never cross a scoped user's scope (issue 11, Must 3).

A lead's form says "already in the network" only about people the lead can see; for anyone else
it adds a new person in the lead's congregation (a likely duplicate that staff see on the
duplicates page) and reveals nothing. A lead's ladder move or edit changes nothing in another
congregation: its membership, its role, or which congregation is the person's primary one.
(The API's signup helper: tests/api/test_people_outside_scope.py.)"""

import pytest
from django.urls import reverse

from congregations.models import Membership, MembershipRole
from members import services
from members.duplicates import duplicates_refresh
from members.models import Person
from tests.factories import CongregationFactory, PersonFactory

pytestmark = pytest.mark.django_db
NEW = reverse("members:person_create")
ALREADY = "already in the network"


def person_data(congregation, **extra):
    return {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "ana@example.org",
        "language": "en",
        "email_ok": "on",
        "congregation": congregation.pk,
        **extra,
    }


@pytest.fixture
def stranger(other_congregation):
    """Someone the lead of St. Mark's cannot see: a member of Temple Sinai only."""
    return PersonFactory(
        congregation=other_congregation,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        phone="+18605550199",
        street="12 Hidden Lane",
    )


@pytest.fixture
def shared(congregation, other_congregation):
    """A member of both congregations, Temple Sinai's core team, with Temple Sinai primary."""
    person = PersonFactory(congregation=other_congregation, first_name="Both")
    Membership.objects.filter(person=person).update(role=MembershipRole.CORE_TEAM)
    Membership.objects.create(person=person, congregation=congregation, is_primary=False)
    return person


class TestAlreadyInTheNetwork:
    def test_said_only_about_people_in_scope(self, client, login, lead, congregation):
        PersonFactory(congregation=congregation, email="ana@example.org")
        response = login(client, lead).post(NEW, person_data(congregation))
        assert response.status_code == 200 and ALREADY in response.content.decode()
        assert Person.objects.count() == 1

    def test_someone_outside_scope_is_a_new_person_and_stays_hidden(
        self, client, login, lead, congregation, other_congregation, stranger
    ):
        response = login(client, lead).post(NEW, person_data(congregation))
        assert response.status_code == 302, response.content.decode()
        added = Person.objects.exclude(pk=stranger.pk).get()
        assert response["Location"] == added.get_absolute_url()
        assert list(added.memberships.values_list("congregation", "is_primary")) == [
            (congregation.pk, True)
        ]
        body = client.get(added.get_absolute_url()).content.decode()
        assert ALREADY not in body and "Hidden Lane" not in body
        stranger.refresh_from_db()
        assert list(stranger.memberships.values_list("congregation", flat=True)) == [
            other_congregation.pk
        ]
        assert client.get(stranger.get_absolute_url()).status_code == 404

    def test_staff_see_the_pair_on_the_duplicates_page(
        self, client, login, lead, admin_user, congregation, stranger
    ):
        login(client, lead).post(NEW, person_data(congregation))
        added = Person.objects.exclude(pk=stranger.pk).get()
        duplicates_refresh()  # the nightly scan fills the queue
        rows = login(client, admin_user).get(reverse("members:duplicates")).context["rows"]
        assert [(first.pk, second.pk) for _reasons, first, second in rows] == [
            (stranger.pk, added.pk)
        ]
        assert any("email" in str(reason) for reason in rows[0][0])
        lead_rows = login(client, lead).get(reverse("members:duplicates")).context["rows"]
        assert lead_rows == []  # the lead is not told about the other record either

    def test_an_edit_to_a_strangers_email_is_saved_without_a_word(
        self, client, login, lead, congregation, stranger
    ):
        mine = PersonFactory(congregation=congregation, email="mine@example.org")
        url = reverse("members:person_edit", args=[mine.pk])
        response = login(client, lead).post(url, person_data(congregation, first_name="Mia"))
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.email == "ana@example.org"


class TestLadderAndEditsStayHome:
    def test_a_ladder_move_leaves_the_other_congregations_role(
        self, client, login, lead, shared, other_congregation
    ):
        login(client, lead).post(
            reverse("members:person_ladder", args=[shared.pk]),
            {"to_level": "leader", "reason": "ran the phone bank"},
        )
        shared.refresh_from_db()
        assert shared.level == "leader"
        theirs = shared.memberships.get(congregation=other_congregation)
        assert (theirs.role, theirs.is_primary) == (MembershipRole.CORE_TEAM, True)

    def test_a_ladder_move_in_scope_still_sets_the_core_team_role(
        self, organizer, shared, network_organizer
    ):
        services.person_move_on_ladder(
            person=shared, to_level="leader", by=network_organizer, reason="x"
        )
        assert shared.memberships.get(is_primary=True).role == MembershipRole.MEMBER
        services.person_move_on_ladder(
            person=shared, to_level="key_leader", by=organizer, reason="x"
        )
        shared.refresh_from_db()
        assert shared.level == "key_leader"
        assert shared.memberships.get(is_primary=True).role == MembershipRole.MEMBER

    def test_an_edit_keeps_another_congregations_primary_membership(
        self, client, login, lead, shared, congregation, other_congregation
    ):
        url = reverse("members:person_edit", args=[shared.pk])
        login(client, lead)
        form = client.get(url).context["form"]
        assert "congregation" not in form.fields  # not the lead's to change
        assert "Temple Sinai" in client.get(url).content.decode()
        data = person_data(congregation, first_name="Both", email="both@example.org")
        assert client.post(url, data).status_code == 302
        memberships = set(shared.memberships.values_list("congregation", "is_primary", "role"))
        assert memberships == {
            (other_congregation.pk, True, MembershipRole.CORE_TEAM),
            (congregation.pk, False, MembershipRole.MEMBER),
        }

    def test_a_lead_of_two_keeps_the_third_congregations_membership(
        self, client, login, lead_of, congregation, other_congregation, shared
    ):
        third = CongregationFactory(name="Grace Baptist")
        lead = lead_of(congregation, third)
        url = reverse("members:person_edit", args=[shared.pk])
        data = person_data(
            congregation, first_name="Both", other_congregations=[congregation.pk, third.pk]
        )
        assert login(client, lead).post(url, data).status_code == 302
        assert set(shared.memberships.values_list("congregation", "is_primary")) == {
            (other_congregation.pk, True),
            (congregation.pk, False),
            (third.pk, False),
        }
        data.pop("other_congregations")  # unticked: the lead's two go, Temple Sinai stays
        assert client.post(url, data).status_code == 302
        assert set(shared.memberships.values_list("congregation", "is_primary")) == {
            (other_congregation.pk, True)
        }

    def test_the_service_refuses_to_move_a_primary_outside_scope(
        self, lead, shared, congregation, other_congregation
    ):
        with pytest.raises(PermissionError):
            services.person_update(person=shared, by=lead, congregation=congregation)
        assert shared.memberships.get(is_primary=True).congregation == other_congregation

    def test_a_primary_in_scope_is_still_the_leads_to_change(
        self, client, login, lead_of, congregation, other_congregation
    ):
        third = CongregationFactory(name="Grace Baptist")
        lead = lead_of(congregation, third)
        person = PersonFactory(congregation=congregation, first_name="Mia")
        Membership.objects.create(person=person, congregation=other_congregation, is_primary=False)
        url = reverse("members:person_edit", args=[person.pk])
        data = person_data(third, first_name="Mia", email="", other_congregations=[congregation.pk])
        assert login(client, lead).post(url, data).status_code == 302
        assert set(person.memberships.values_list("congregation", "is_primary")) == {
            (third.pk, True),
            (congregation.pk, False),
            (other_congregation.pk, False),
        }
