"""The access core: one name per rule, and the visible congregations read once per user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conect import access
from conect.access import Role
from members.selectors import people_visible_to
from tests.factories import CongregationFactory, PersonFactory, UserFactory
from tests.relationships.factories import OneOnOneFactory

ROLES = [Role.ADMIN, Role.ORGANIZER, Role.LEAD, Role.LEADER]


@pytest.mark.parametrize(
    ("predicate", "allowed"),
    [
        (access.is_admin, {Role.ADMIN}),
        (access.is_organizing_staff, {Role.ADMIN, Role.ORGANIZER}),
        (access.is_staff_or_lead, {Role.ADMIN, Role.ORGANIZER, Role.LEAD}),
        (access.sees_whole_network, {Role.ADMIN}),
    ],
)
def test_each_predicate_names_its_roles(db, predicate, allowed):
    for role in ROLES:
        assert predicate(UserFactory(role=role)) == (role in allowed), role
    assert not predicate(UserFactory(role=Role.ADMIN, is_active=False))  # deny by default


def test_network_wide_organizers_see_every_congregation(db):
    assert access.sees_whole_network(UserFactory(role=Role.ORGANIZER, network_wide=True))
    assert access.visible_congregation_ids(UserFactory(role=Role.ADMIN)) is None


def test_scope_of_each_role(db, congregation, other_congregation, leader):
    lead = UserFactory(role=Role.LEAD, congregations=[congregation])
    assert access.visible_congregation_ids(lead) == {congregation.pk}
    assert access.visible_congregation_ids(leader) == {congregation.pk}  # through their person
    assert access.visible_congregation_ids(UserFactory(role=Role.LEADER)) == frozenset()


def test_scope_is_read_once_per_user_and_forgotten_on_change(
    db, congregation, other_congregation, django_assert_num_queries
):
    organizer = UserFactory(role=Role.ORGANIZER, congregations=[congregation])
    with django_assert_num_queries(1):
        access.visible_congregation_ids(organizer)
        access.visible_congregation_ids(organizer)
        assert access.in_scope(organizer, congregation.pk)
    organizer.congregations.add(other_congregation)  # members' m2m_changed receiver clears it
    assert access.visible_congregation_ids(organizer) == {congregation.pk, other_congregation.pk}


def test_a_leader_sees_the_people_they_have_met(db, congregation, leader):
    stranger = PersonFactory(congregation=CongregationFactory())
    met = PersonFactory(congregation=CongregationFactory())
    OneOnOneFactory(author=leader, person=met)
    visible = set(people_visible_to(leader))
    assert met in visible and leader.person in visible and stranger not in visible


def test_home_reads_the_scope_once(client, login, congregation, django_assert_max_num_queries):
    """Every panel of an organizer's home shares one read of their congregations."""
    organizer = UserFactory(role=Role.ORGANIZER, congregations=[congregation])
    login(client, organizer)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    scope_reads = [q for q in queries if "members_user_congregations" in q["sql"]]
    assert len(scope_reads) == 1, [q["sql"] for q in scope_reads]
