"""The congregations list for staff (issue 13, item 9): activity columns read by the floors
above, sortable, with a query count that does not grow with congregations; and the reports
page's one-on-ones-over-time panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Attendance, TurnoutPledge
from relationships.selectors import local_today
from tests.campaigns.factories import ActionFactory
from tests.factories import CongregationFactory, PersonFactory, UserFactory
from tests.relationships.factories import OneOnOneFactory

pytestmark = pytest.mark.django_db


def busy(congregation, meetings: int, organizer):
    for _ in range(meetings):
        OneOnOneFactory(
            author=organizer,
            person=PersonFactory(congregation=congregation),
            congregation=congregation,
            held_on=local_today() - datetime.timedelta(days=3),
        )


def test_activity_columns_and_sort(client, login, network_organizer, congregation):
    quiet = CongregationFactory(name="Aardvark Chapel")
    busy(congregation, 3, network_organizer)
    OneOnOneFactory(
        author=network_organizer,
        person=PersonFactory(congregation=quiet),
        congregation=quiet,
        held_on=local_today() - datetime.timedelta(days=40),  # older than 30 days
    )
    past = timezone.now() - datetime.timedelta(days=5)
    action = ActionFactory(title="Budget hearing", starts_at=past, ends_at=past)
    TurnoutPledge.objects.create(action=action, congregation=congregation, pledged=4)
    for _ in range(3):
        Attendance.objects.create(
            action=action,
            person=PersonFactory(congregation=congregation),
            congregation=congregation,
            checked_in_at=past,
        )
    login(client, network_organizer)
    html = client.get(reverse("congregations:list") + "?sort=one_on_ones").content.decode()
    assert html.index("St. Mark") < html.index("Aardvark Chapel")
    assert "3 one-on-ones in the last 30 days" in html
    assert "last action Budget hearing: 3 came of 4 pledged" in html
    assert "0 one-on-ones in the last 30 days" in html
    # The desktop table: the same rows, a column per activity, headers that sort.
    table = html[html.index('data-testid="congregation-table"') :]
    assert 'href="?sort=turnout"' in table and "3 / 4" in table
    assert table.index("St. Mark") < table.index("Aardvark Chapel")
    html = client.get(reverse("congregations:list")).content.decode()
    assert html.index("Aardvark Chapel") < html.index("St. Mark")  # by name
    for sort in ("turnout", "dues", "people", "nonsense", ""):
        assert client.get(reverse("congregations:list") + f"?sort={sort}").status_code == 200


def test_a_leader_sees_no_activity_and_cannot_sort_by_it(client, login, leader, congregation):
    busy(congregation, 2, UserFactory(role="organizer"))
    html = login(client, leader).get(reverse("congregations:list") + "?sort=one_on_ones")
    assert "in the last 30 days" not in html.content.decode()


def test_list_query_count_is_flat(
    client, login, network_organizer, congregation, django_assert_max_num_queries
):
    login(client, network_organizer)
    busy(congregation, 1, network_organizer)
    past = timezone.now() - datetime.timedelta(days=2)
    TurnoutPledge.objects.create(
        action=ActionFactory(starts_at=past, ends_at=past), congregation=congregation, pledged=3
    )
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("congregations:list") + "?sort=turnout")
    for _ in range(8):
        other = CongregationFactory()
        busy(other, 2, network_organizer)
        action = ActionFactory(starts_at=past, ends_at=past)
        TurnoutPledge.objects.create(action=action, congregation=other, pledged=3)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("congregations:list") + "?sort=turnout")


def test_one_on_ones_over_time_panel(
    client, login, organizer, network_organizer, congregation, other_congregation
):
    busy(congregation, 2, organizer)
    busy(other_congregation, 1, network_organizer)
    url = reverse("relationships:one_on_ones_over_time")
    html = login(client, network_organizer).get(url).content.decode()
    assert "St. Mark" in html and "Temple Sinai" in html and "<rect" in html
    html = login(client, organizer).get(url).content.decode()
    assert "St. Mark" in html and "Temple Sinai" not in html  # scoped
    assert client.post(url).status_code == 405
    assert 'hx-get="' + url in client.get(reverse("actions:reports")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302
