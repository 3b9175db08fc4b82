"""The overdue rule finds the late follow-ups first and their people by key (issue 16): joined in
one query, PostgreSQL hash-joined 6,000 late follow-ups to all 1,000,000 people."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Person
from notifications.reminders import followups_overdue
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import FollowUpFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
NOW = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=NY)
PEOPLE = Person._meta.db_table


def overdue(now=NOW):
    with CaptureQueriesContext(connection) as captured:
        dues = list(followups_overdue(now))
    return dues, [q["sql"] for q in captured.captured_queries]


def late_follow_ups(owner, n: int) -> list:
    return [
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 1 + i % 20)) for i in range(n)
    ]


def test_the_follow_ups_query_joins_no_person(leader, organizer):
    late_follow_ups(leader, 3)
    dues, queries = overdue()
    (follow_ups,) = [q for q in queries if re.search(r'FROM "relationships_followup"', q)]
    assert f'JOIN "{PEOPLE}"' not in follow_ups
    # The people come by their keys: the follow-ups' people and their owners' own records.
    by_key = [q for q in queries if re.search(rf'FROM "{PEOPLE}" WHERE \(*"{PEOPLE}"\."', q)]
    assert any(re.search(rf'"{PEOPLE}"\."id"\)? (IN|=) ', q) for q in by_key)
    assert any(re.search(rf'"{PEOPLE}"\."user_id"\)? (IN|=) ', q) for q in by_key)
    assert [d.recipient_user for d in dues] == [organizer]


def test_the_message_names_each_follow_up_with_its_person_and_owner(leader, organizer):
    made = late_follow_ups(leader, 3)
    (due,) = overdue()[0]
    named = due.context["follow_ups"]
    assert [f.pk for f in named] == [f.pk for f in sorted(made, key=lambda f: (f.due_on, f.pk))]
    assert [f.person.full_name for f in named] == [
        f.person.full_name for f in sorted(made, key=lambda f: (f.due_on, f.pk))
    ]
    assert {f.owner.pk for f in named} == {leader.pk}


def test_the_queries_do_not_grow_with_the_follow_ups(leader, organizer, congregation):
    late_follow_ups(leader, 2)
    few = len(overdue()[1])
    other = UserFactory(role="leader")
    PersonFactory(user=other, congregation=congregation)
    late_follow_ups(other, 12)
    dues, queries = overdue()
    assert len(queries) == few
    assert len(dues[0].context["follow_ups"]) == 14


def test_each_owner_goes_to_the_organizers_of_their_own_congregations(
    leader, organizer, lead_of, congregation, other_congregation
):
    """A lead's are the congregations assigned to them, anyone else's their memberships."""
    other_organizer = UserFactory(role="organizer", congregations=[other_congregation])
    lead = lead_of(other_congregation)  # assigned there, a member of the first
    PersonFactory(user=lead, congregation=congregation)
    late_follow_ups(lead, 1)
    two_places = UserFactory(role="leader")
    PersonFactory(user=two_places, congregation=congregation).memberships.create(
        congregation=other_congregation, is_primary=False
    )
    late_follow_ups(two_places, 1)
    named = {d.recipient_user: {f.owner for f in d.context["follow_ups"]} for d in overdue()[0]}
    assert named == {organizer: {two_places}, other_organizer: {lead, two_places}}
