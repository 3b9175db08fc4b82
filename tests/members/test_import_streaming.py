"""The import's writes across batches (issue 16, Must 5): on PostgreSQL new people stream
through one COPY that stays open between batches unless a progress report needs the
connection; every person, membership, tag and filled field must land either way."""

import pytest

from congregations.models import Congregation, Membership
from members import importing
from members.models import Person
from members.services import people_import

pytestmark = pytest.mark.django_db

ROWS = 230  # over four batches of 50


def _file() -> str:
    lines = ["first_name,last_name,email,phone,tags"]
    for i in range(ROWS):
        lines.append(f"P{i},Q{i},p{i}@x.org,,{'choir' if i % 3 == 0 else ''}")
    # A later row fills the phone of a person created three batches earlier.
    lines.append("P7,Q7,p7@x.org,860 555 0107,youth")
    return "\n".join(lines) + "\n"


@pytest.fixture(params=[False, True], ids=["no progress", "progress"])
def reports(request, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 50)
    if not request.param:
        return None
    seen = []

    def progress(done, total):
        seen.append(Person.objects.count())  # the connection is free at every report

    return progress


def test_every_batch_is_written(congregation, reports):
    plan = people_import(
        text=_file(),
        by=None,
        congregations=Congregation.objects.all(),
        default_congregation=congregation,
        progress=reports,
    )
    assert plan.is_valid and plan.counts["new"] == ROWS
    assert Person.objects.count() == ROWS
    assert Membership.objects.filter(congregation=congregation, is_primary=True).count() == ROWS
    seventh = Person.objects.get(email="p7@x.org")
    assert seventh.phone == "+18605550107"
    assert set(seventh.tags.values_list("name", flat=True)) == {"youth"}
    assert Person.objects.filter(tags__name="choir").count() == len(range(0, ROWS, 3))
    assert sorted(plan.people.pid[number] for number in range(len(plan.people.pid))) == sorted(
        Person.objects.values_list("pk", flat=True)
    )
    again = people_import(
        text=_file(),
        by=None,
        congregations=Congregation.objects.all(),
        default_congregation=congregation,
    )
    assert not again.has_changes


@pytest.mark.postgres
def test_every_batch_is_written_on_postgresql(congregation, reports):
    test_every_batch_is_written(congregation, reports)


@pytest.mark.postgres
def test_ids_are_drawn_per_copy_not_for_the_whole_file_each_time(congregation, reports):
    """With progress reports the COPY closes every batch; each reopening draws ids for its own
    batch only. Drawing every remaining row's id at each reopening burned a quadratic number of
    them (a 100,000-row import through the browser: some 2.5 million)."""
    from django.db import connection

    def last_id() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('members_person', 'id'))")
            return cursor.fetchone()[0]

    before = last_id()
    people_import(
        text=_file(),
        by=None,
        congregations=Congregation.objects.all(),
        default_congregation=congregation,
        progress=reports,
    )
    assert last_id() - before <= ROWS + 1 + 50 + 1  # the rows, the last batch's spare, a probe
