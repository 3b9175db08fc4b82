"""What only PostgreSQL shows: constraints under real concurrency, and the scoping SQL plan."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from congregations.models import Membership
from members.selectors import people_visible_to
from tests.factories import CongregationFactory, PersonFactory

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_one_primary_congregation_even_when_two_requests_race():
    person = PersonFactory()
    congregations = CongregationFactory.create_batch(2)
    barrier = threading.Barrier(2)
    outcomes = []

    def add_primary(congregation):
        try:
            barrier.wait()
            with transaction.atomic():
                Membership.objects.create(person=person, congregation=congregation, is_primary=True)
            outcomes.append("created")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add_primary, args=(c,)) for c in congregations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "refused"]
    assert Membership.objects.filter(person=person, is_primary=True).count() == 1


@pytest.mark.django_db
def test_scoped_people_query_uses_a_semi_join(lead, congregation):
    PersonFactory.create_batch(3, congregation=congregation)
    sql = str(people_visible_to(lead).query)
    assert "EXISTS" in sql.upper() and "DISTINCT" not in sql.upper()
    with connection.cursor() as cursor:
        cursor.execute("SHOW TIMEZONE")
        assert cursor.fetchone()[0] == "UTC"  # Django stores UTC; pages show America/New_York
    assert people_visible_to(lead).count() == 3
