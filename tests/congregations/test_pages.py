"""Congregation list and page (extended by the directory issue) and the staff edit form."""

import pytest
from django.urls import reverse

from congregations.models import CongregationStatus
from congregations.tasks import tallies_refresh_task
from members.models import Level
from tests.factories import CongregationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def edit_url(congregation):
    return reverse("congregations:edit", args=[congregation.slug])


def test_list_shows_profile_counts_and_is_flat(
    client, login, admin_user, django_assert_max_num_queries
):
    congregation = CongregationFactory(
        name="Sacred Heart", denomination="Catholic", status=CongregationStatus.PROSPECT
    )
    PersonFactory.create_batch(2, congregation=congregation)
    tallies_refresh_task.delay()  # beat recounts every minute (congregations.tallies)
    login(client, admin_user)
    body = client.get(reverse("congregations:list")).content.decode()
    assert "Sacred Heart" in body and "Catholic" in body and "Prospect" in body
    assert "People 2" in body and 'data-testid="dues-standing"' in body
    CongregationFactory.create_batch(20)
    # + the activity columns: one-on-ones by congregation, last pledges, their turnout.
    with django_assert_max_num_queries(8):
        client.get(reverse("congregations:list"))


def test_page_shows_ladder_core_team_and_one_on_ones(client, login, lead, congregation):
    PersonFactory(congregation=congregation, first_name="Keisha", level=Level.CORE_TEAM)
    from congregations.models import Membership

    Membership.objects.filter(person__first_name="Keisha").update(role="core_team")
    body = login(client, lead).get(congregation.get_absolute_url()).content.decode()
    assert "Keisha" in body and "Core team" in body
    panel = f"/relationships/congregations/{congregation.slug}/one-on-ones/"
    assert panel in body  # the one-on-ones line loads from the relationships app
    assert "in the last 30 days" in client.get(panel).content.decode()
    assert f"?congregation={congregation.pk}" in body
    assert "Edit" not in body  # leads do not edit the profile


def test_core_team_lists_only_this_congregations_core_team(
    client, login, lead, congregation, other_congregation
):
    """Someone on another congregation's core team who is a plain member here is not on this
    core team (issue 13: two membership filters chained listed 44 names under "Core team (41)")."""
    from congregations.models import Membership, MembershipRole

    ours = PersonFactory(congregation=congregation, first_name="Keisha", last_name="Ours")
    Membership.objects.filter(person=ours).update(role=MembershipRole.CORE_TEAM)
    theirs = PersonFactory(congregation=other_congregation, first_name="Tobias", last_name="Theirs")
    Membership.objects.filter(person=theirs).update(role=MembershipRole.CORE_TEAM)
    Membership.objects.create(person=theirs, congregation=congregation, is_primary=False)
    tallies_refresh_task.delay()  # beat recounts every minute (congregations.tallies)
    response = login(client, lead).get(congregation.get_absolute_url())
    assert [p.full_name for p in response.context["core_team"]] == ["Keisha Ours"]
    body = response.content.decode()
    assert "Core team (1)" in body and "Tobias Theirs" not in body


class TestEdit:
    def data(self, **extra):
        return {
            "name": "St. Mark's AME Church",
            "tradition": "christian",
            "town": "Hartford",
            "status": "member",
            "zip": "6103",
            "joined_on": "2012-05-01",
            **extra,
        }

    def test_organizer_edits(self, client, login, organizer, congregation):
        login(client, organizer)
        assert client.get(edit_url(congregation)).status_code == 200
        response = client.post(edit_url(congregation), self.data(denomination="AME"))
        assert response.status_code == 302
        congregation.refresh_from_db()
        assert congregation.denomination == "AME" and congregation.zip == "06103"

    def test_invalid_input(self, client, login, organizer, congregation):
        response = login(client, organizer).post(
            edit_url(congregation), self.data(name="", zip="ABC")
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"name", "zip"}

    def test_lead_is_403_and_other_congregation_is_404(
        self, client, login, lead, organizer, congregation, other_congregation
    ):
        # In scope but not theirs to change: 403; out of scope: 404 (docs/decisions.md).
        assert login(client, lead).get(edit_url(congregation)).status_code == 403
        assert login(client, organizer).get(edit_url(other_congregation)).status_code == 404

    def test_anonymous_and_method(self, client, login, organizer, congregation):
        assert client.get(edit_url(congregation)).status_code == 302
        assert login(client, organizer).delete(edit_url(congregation)).status_code == 405


class TestCongregationPages:
    def test_list_is_scoped(self, client, login, lead, congregation, other_congregation):
        body = login(client, lead).get(reverse("congregations:list")).content.decode()
        assert "St. Mark" in body and "Temple Sinai" not in body

    def test_detail_happy_path(self, client, login, lead, congregation):
        PersonFactory(congregation=congregation, first_name="Core")
        response = login(client, lead).get(congregation.get_absolute_url())
        assert response.status_code == 200
        assert "Core team" in response.content.decode()

    def test_other_congregation_is_404(self, client, login, lead, other_congregation):
        response = login(client, lead).get(other_congregation.get_absolute_url())
        assert response.status_code == 404

    def test_unknown_slug_is_404(self, client, login, admin_user):
        response = login(client, admin_user).get("/congregations/no-such-place/")
        assert response.status_code == 404

    def test_leader_sees_no_people_counts(self, client, login, leader, congregation):
        body = login(client, leader).get(congregation.get_absolute_url()).content.decode()
        assert "Core team (" not in body

    def test_list_query_count_is_flat(
        self, client, login, admin_user, django_assert_max_num_queries
    ):
        login(client, admin_user)
        CongregationFactory.create_batch(40)
        # Counts, dues, and the activity columns (one-on-ones, last pledges; their turnout
        # only when a congregation has a pledge).
        with django_assert_max_num_queries(8):
            client.get(reverse("congregations:list"))


def test_a_new_person_is_counted_within_the_minute(client, login, lead, congregation):
    """The counts are tallies: a write shows once beat's minute has recounted (issue 16)."""
    tallies_refresh_task.delay()
    login(client, lead)
    assert "People (0)" in client.get(congregation.get_absolute_url()).content.decode()
    PersonFactory(congregation=congregation, level=Level.LEADER)
    tallies_refresh_task.delay()
    body = client.get(congregation.get_absolute_url()).content.decode()
    assert "Leaders (1) · People (1)" in body
