"""Issue 16 at a million people: the door's name search sorts its matches (it does not walk the
name index), and the lead's call list walks the index of unanswered invitations instead of
sorting every invitee by name."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import selectors
from actions.models import Attendance, Rsvp
from tests.campaigns.factories import ActionFactory, AttendanceFactory, PledgeFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person_query(queries) -> str:
    return next(q["sql"] for q in queries if 'FROM "members_person"' in q["sql"])


def test_door_search_sorts_its_matches(lead, congregation):
    action = ActionFactory(congregations=[congregation])
    for first in ["Zoe", "Ann", "Mia"]:
        PersonFactory(congregation=congregation, first_name=first, last_name="Smithers")
    PersonFactory(congregation=congregation, first_name="Ann", last_name="Jones")
    with CaptureQueriesContext(connection) as queries:
        found = selectors.door_search(lead, action, "smi")
    assert [p.first_name for p in found] == ["Ann", "Mia", "Zoe"]  # the same order as before
    # The leading sort key is an expression no index serves: the database finds the matches
    # through the prefix indexes, then sorts them (bench/plans/door-search-lead.txt).
    order_by = _person_query(queries).split("ORDER BY", 1)[1]
    assert order_by.lstrip().startswith('("members_person"."last_name" || \'\')')


def test_door_search_of_short_words_keeps_the_plain_order(lead, congregation):
    action = ActionFactory(congregations=[congregation])
    PersonFactory(congregation=congregation, first_name="Jo", last_name="Li")
    with CaptureQueriesContext(connection) as queries:
        found = selectors.door_search(lead, action, "jo li")
    assert [p.last_name for p in found] == ["Li"]
    assert "|| ''" not in _person_query(queries)


def _invite(action, congregation, first_name, minutes_ago, **extra):
    person = PersonFactory(congregation=congregation, first_name=first_name, **extra)
    return AttendanceFactory(
        action=action,
        person=person,
        congregation=congregation,
        rsvp=Rsvp.INVITED,
        invited_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_call_list_puts_the_longest_waiting_first(lead, congregation, other_congregation):
    action = ActionFactory(congregations=[congregation])
    zed = _invite(action, congregation, "Zed", 30)
    ann = _invite(action, congregation, "Ann", 20)
    _invite(action, congregation, "Dina", 10, do_not_contact=True)  # waiting, not to be called
    _invite(action, other_congregation, "Omar", 40)  # another congregation's to call
    answered = _invite(action, congregation, "Yes", 50)
    Attendance.objects.filter(pk=answered.pk).update(rsvp=Rsvp.YES)
    with CaptureQueriesContext(connection) as queries:
        calls = selectors.call_list(lead, action, limit=1)
    assert calls["rows"] == [zed]  # invited first, called first (not "Ann" by name)
    assert calls["total"] == 3 and calls["more"] == 2  # the invitations waiting for an answer
    assert len(queries) <= 3
    assert selectors.call_list(lead, action)["rows"] == [zed, ann]


def test_call_list_rows_are_ordered_by_invitation_not_by_name(lead, congregation):
    action = ActionFactory(congregations=[congregation])
    _invite(action, congregation, "Ann", 5)
    with CaptureQueriesContext(connection) as queries:
        selectors.call_list(lead, action)
    rows_sql = next(q["sql"] for q in queries if "LIMIT" in q["sql"] and "attendance" in q["sql"])
    order_by = rows_sql.split("ORDER BY", 1)[1]
    assert "members_person" not in order_by  # no invitee's name is read to sort


def test_action_page_renders_no_template_per_bar_or_option(
    client, login, network_organizer, action, congregation, other_congregation
):
    """The chart and the pledge form's congregations are written in Python: an included
    template per bar and per <option> was most of the page's time (issue 16)."""
    PledgeFactory(action=action, congregation=congregation, pledged=5)
    response = login(client, network_organizer).get(action.get_absolute_url())
    used = {t.name for t in response.templates}
    assert "django/forms/widgets/select_option.html" not in used
    assert not {name for name in used if "bars" in (name or "")}
    body = response.content.decode()
    assert body.count("<rect") == 3 + 3 * 2  # the legend, and three bars per congregation
    assert f"{congregation.name} · Pledged: 5" in body.replace("&#x27;", "'")
    assert f'<option value="{other_congregation.pk}">' in body


def test_action_page_asks_fewer_queries(
    client, login, network_organizer, action, django_assert_max_num_queries
):
    """The congregations (rows, pledge list, participating ones) read once with their pledges
    (was five queries), no "does it involve them" for the whole network: 11 queries, was 17."""
    login(client, network_organizer)
    client.get(action.get_absolute_url())
    with django_assert_max_num_queries(11):
        response = client.get(action.get_absolute_url())
    assert response.context["can_manage"] and response.context["can_pledge"]
