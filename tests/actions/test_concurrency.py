"""Races that matter at the door and in the pledge form, on PostgreSQL with real threads."""

import threading

import pytest
from django.db import connection

from actions.models import Attendance, TurnoutPledge
from actions.services import attendance_check_in, pledge_set
from tests.campaigns.factories import ActionFactory, DoorOpenActionFactory
from tests.factories import CongregationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(n, work):
    barrier = threading.Barrier(n)
    errors, results = [], []

    def go(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_phones_checking_in_the_same_person_make_one_attendance():
    congregation = CongregationFactory()
    volunteer = UserFactory(role="lead", congregations=[congregation])
    action = DoorOpenActionFactory(congregations=[congregation])
    people = PersonFactory.create_batch(10, congregation=congregation)
    for person in people:
        results, errors = run_together(
            4,
            lambda i, person=person: attendance_check_in(
                action=action, person=person, by=volunteer
            ),
        )
        assert not errors
        assert sum(now for _a, now in results) == 1  # exactly one phone "won"
        assert len({a.checked_in_at for a, _now in results}) == 1
    assert Attendance.objects.filter(action=action).count() == 10
    assert Attendance.objects.filter(action=action, checked_in_at__isnull=True).count() == 0


def test_concurrent_pledge_submissions_make_one_pledge():
    congregation = CongregationFactory()
    lead = UserFactory(role="lead", congregations=[congregation])
    for _ in range(5):
        action = ActionFactory(congregations=[congregation])
        results, errors = run_together(
            4,
            lambda i, action=action: pledge_set(
                action=action, congregation=congregation, pledged=40 + i, by=lead
            ),
        )
        assert not errors
        pledge = TurnoutPledge.objects.get(action=action, congregation=congregation)
        assert pledge.pledged in {40, 41, 42, 43}
