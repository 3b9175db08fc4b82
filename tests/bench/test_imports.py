"""bench.imports: the import against a raw COPY of the same rows (into the tables it writes,
and into an empty table), at small scale."""

import pytest

from bench.imports import measure, people_csv
from congregations.models import Membership
from members.models import Person
from tests.factories import CongregationFactory

pytestmark = pytest.mark.django_db


def test_the_file_is_new_people_the_import_reads():
    CongregationFactory.create_batch(3)
    data, values = people_csv(40)
    assert data.decode().count("\n") == 41  # the header and a line per person
    assert len(values) == 40 and all(row[0] for row in values)


@pytest.mark.postgres
def test_measures_both_and_leaves_nothing_behind():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    CongregationFactory.create_batch(3)
    result = measure(60)
    assert result["counts"]["rows"] == 60 and result["counts"]["invalid"] == 0
    assert result["counts"]["new"] + result["counts"]["matched"] >= 55
    assert result["import_rows_s"] > 0 and result["copy_rows_s"] > 0
    assert result["ratio"] == pytest.approx(result["copy_s"] / result["import_s"])
    assert result["ratio_empty"] == pytest.approx(result["copy_empty_s"] / result["import_s"])
    assert not Person.objects.exists()  # all three were rolled back
    assert not Membership.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_import_copy')")
        assert cursor.fetchone()[0] is None
