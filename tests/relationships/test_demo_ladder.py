"""The demo's ladder agrees with the practice (issue 13, item 7): every leader and up was met
and came to actions, every move has a reason, and a login's rung is the one their own
practice supports."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from actions.models import Attendance
from conect.ladder import LEADER_LEVELS
from members.models import LeadershipChange, Person
from relationships.ladder import suggest_next_level

pytestmark = pytest.mark.django_db


def test_demo_ladder_is_backed_by_practice():
    call_command("seed_demo", "--force", "--people", "400", "--seed", "5", verbosity=0)
    leaders = Person.objects.filter(level__in=LEADER_LEVELS).annotate(
        had=Count("one_on_ones", distinct=True),
    )
    assert leaders.exists()
    came = set(
        Attendance.objects.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
    )
    floors = {"leader": (2, 1), "core_team": (3, 2), "key_leader": (4, 3)}
    attended = Counter(
        Attendance.objects.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
    )
    for person in leaders:
        had, actions = floors[person.level]
        assert person.had >= had, person
        assert person.pk in came and attended[person.pk] >= actions, person
    assert not LeadershipChange.objects.filter(reason="").exists()
    logins = Person.objects.filter(level__in=LEADER_LEVELS, user__role="leader").annotate(
        held=Count("one_on_ones_held", distinct=True),
        hosted=Count(
            "user__house_meetings", distinct=True, filter=Q(user__house_meetings__isnull=False)
        ),
    )
    for person in logins:
        practice = {"held": person.held, "hosted": person.hosted}
        assert suggest_next_level(person.level, practice) is None, person
