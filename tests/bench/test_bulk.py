"""bench.bulk: rows in by COPY, indexes and constraints out during the load and back after."""

import pytest
from django.db import connection

from bench.bulk import Loader, deferred_indexes
from members.models import Person, Tag

TABLES = ["members_person", "relationships_followup", "congregations_membership"]


def _schema() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1",
            [TABLES, TABLES],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
@pytest.mark.django_db
def test_deferred_indexes_come_back_exactly_as_they_were():
    before = _schema()
    with deferred_indexes(connection, TABLES):
        during = _schema()
    assert len(during) < len(before)
    assert any("gin_trgm_ops" in line for line in before)
    assert _schema() == before


@pytest.mark.django_db
def test_the_loader_fills_the_columns_it_is_not_given():
    loader = Loader(connection)
    count = loader.load(Person, ["first_name", "last_name"], [("Ruth", "Okafor"), ("Jamal", "")])
    loader.load(Tag, ["name"], [("choir",)])
    assert count == 2
    ruth = Person.objects.get(first_name="Ruth")
    assert (ruth.level, ruth.language, ruth.email_ok, ruth.email) == ("member", "en", True, "")
    assert ruth.created_at == loader.now
    assert loader.counts == {"members_person": 2, "members_tag": 1}
