"""Issue 16: the whole network's directory, unfiltered, asks the ladder tallies whether there
are more people than the bound, instead of counting them (a sequential scan at 1,000,000)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members import pagination
from members.models import Person
from members.tallies import ladder_tally_refresh
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = Person._meta.db_table


@pytest.fixture
def bound(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 5)
    return 5


def directory(client, **query):
    return client.get(reverse("members:person_list"), query)


def counts_people(queries) -> bool:
    return any("COUNT(" in q["sql"].upper() and f'FROM "{PEOPLE}"' in q["sql"] for q in queries)


def test_past_the_bound_the_tallies_answer(
    client, login, network_organizer, congregation, bound, django_assert_max_num_queries
):
    PersonFactory.create_batch(bound + 2, congregation=congregation)
    ladder_tally_refresh()
    login(client, network_organizer)
    with django_assert_max_num_queries(30) as read:
        response = directory(client)
    assert not counts_people(read.captured_queries)
    paginator = response.context["page"].paginator
    assert paginator.is_bounded and paginator.count == bound and paginator.num_pages == 1
    assert "More than 5 people" in response.content.decode()
    # The sort is not a filter: still the whole network.
    with django_assert_max_num_queries(30) as read:
        directory(client, sort="-created")
    assert not counts_people(read.captured_queries)


def test_a_filter_or_a_scope_is_counted(
    client, login, network_organizer, organizer, congregation, bound, django_assert_max_num_queries
):
    PersonFactory.create_batch(bound + 2, congregation=congregation)
    ladder_tally_refresh()
    login(client, network_organizer)
    for query in ({"level": "member"}, {"has_email": "false"}, {"status": "all"}):
        with django_assert_max_num_queries(30) as read:
            directory(client, **query)
        assert counts_people(read.captured_queries), query
    login(client, organizer)  # sees one congregation: the tallies say nothing of it
    with django_assert_max_num_queries(30) as read:
        response = directory(client)
    assert counts_people(read.captured_queries)
    assert response.context["page"].paginator.is_bounded


def test_under_the_bound_or_before_any_tally_the_list_is_counted(
    client, login, network_organizer, congregation, bound, django_assert_max_num_queries
):
    PersonFactory.create_batch(bound + 2, congregation=congregation)
    login(client, network_organizer)
    with django_assert_max_num_queries(30) as read:  # no recount yet: no tally rows
        response = directory(client)
    assert counts_people(read.captured_queries)
    assert response.context["page"].paginator.is_bounded
    Person.objects.filter(pk__in=Person.objects.values("pk")[:3]).update(archived_at=timezone.now())
    ladder_tally_refresh()  # 4 active people: under the bound, counted exactly
    response = directory(client)
    assert response.context["page"].paginator.count == 4
    assert not response.context["page"].paginator.is_bounded


def test_network_people_is_the_tallies_sum(congregation):
    assert pagination.network_people() is None  # never recounted
    PersonFactory.create_batch(3, congregation=congregation)
    PersonFactory(congregation=congregation, archived_at=timezone.now())
    ladder_tally_refresh()
    assert pagination.network_people() == 3  # the archived are not in the tallies
