"""A congregation's core team is found through its own partial index: at network scale a
congregation holds tens of thousands of memberships and a few dozen (or thousand) core-team
ones, and filtering every membership by role cost 94 ms at 1,000,000 people."""

import pytest
from django.db import connection

from congregations.models import Membership, MembershipRole
from congregations.selectors import core_team_of
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_core_team_is_read_through_its_partial_index(congregation):
    people = PersonFactory.create_batch(400, congregation=congregation)
    Membership.objects.filter(person__in=people[:8]).update(role=MembershipRole.CORE_TEAM)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE congregations_membership")
        # A test's table is small enough to read whole; among the indexes, this one must win.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = core_team_of(congregation)[:40].explain()
    assert "membership_core_team_idx" in plan
