"""The selectors are the one place scoping lives: each role sees exactly its share."""

import pytest
from django.contrib.auth.models import AnonymousUser

from congregations.selectors import congregations_visible_to
from members.selectors import people_visible_to
from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture
def network(congregation, other_congregation):
    mine = PersonFactory(first_name="Ana", congregation=congregation)
    theirs = PersonFactory(first_name="Tom", congregation=other_congregation)
    return mine, theirs


def test_admin_sees_everyone(admin_user, network, congregation, other_congregation):
    assert set(people_visible_to(admin_user)) == set(network)
    assert set(congregations_visible_to(admin_user)) == {congregation, other_congregation}


def test_network_wide_organizer_sees_everyone(network_organizer, network):
    assert set(people_visible_to(network_organizer)) == set(network)


def test_organizer_sees_only_assigned_congregations(organizer, network, congregation):
    mine, _theirs = network
    assert list(people_visible_to(organizer)) == [mine]
    assert list(congregations_visible_to(organizer)) == [congregation]


def test_lead_of_a_cannot_see_person_of_b(lead, network, congregation):
    mine, theirs = network
    assert list(people_visible_to(lead)) == [mine]
    assert not people_visible_to(lead).filter(pk=theirs.pk).exists()
    assert list(congregations_visible_to(lead)) == [congregation]


def test_person_in_two_congregations_is_listed_once(lead_of, congregation, other_congregation):
    person = PersonFactory(congregation=congregation)
    MembershipFactory(person=person, congregation=other_congregation, is_primary=False)
    both = lead_of(congregation, other_congregation)
    assert list(people_visible_to(both)) == [person]


def test_leader_sees_only_themself_and_their_congregation(leader, network, congregation):
    assert list(people_visible_to(leader)) == [leader.person]
    assert list(congregations_visible_to(leader)) == [congregation]


def test_unassigned_organizer_sees_nobody(db, network):
    lonely = UserFactory(role="organizer")
    assert not people_visible_to(lonely).exists()
    assert not congregations_visible_to(lonely).exists()


def test_inactive_and_anonymous_users_see_nothing(admin_user, network):
    admin_user.is_active = False
    assert not people_visible_to(admin_user).exists()
    assert not congregations_visible_to(admin_user).exists()
    assert not people_visible_to(AnonymousUser()).exists()
    assert not congregations_visible_to(AnonymousUser()).exists()


def test_archived_people_are_hidden_unless_asked(admin_user, network):
    from django.utils import timezone

    mine, theirs = network
    mine.archived_at = timezone.now()
    mine.save()
    assert list(people_visible_to(admin_user)) == [theirs]
    assert set(people_visible_to(admin_user, include_archived=True)) == {mine, theirs}
