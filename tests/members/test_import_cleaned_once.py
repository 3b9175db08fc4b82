"""A file of at most KEEP_ROWS rows is read and cleaned once (issue 16, Must 5).

The first pass keeps its rows for the second, which then neither parses the text again nor
cleans a row twice; a longer file streams as before. Both ways must decide every row alike.
"""

import random

import pytest

from congregations.models import Congregation
from members import importing
from members.models import Person
from members.services import people_import
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,email,phone,zip,congregation,tags"


def _network(rng, congregations):
    for _i in range(40):
        PersonFactory(
            first_name=rng.choice(["Ana", "Tom"]),
            last_name=rng.choice(["Ruiz", "Berg"]),
            email=rng.choice(["", "a@x.org", "b@x.org"]),
            phone=rng.choice(["", "+18605550101"]),
            zip=rng.choice(["06103", "06105", ""]),
            congregation=rng.choice(congregations),
        )


def _file(rng, congregations, rows=60):
    lines = [HEADER]
    for _i in range(rows):
        first = rng.choice(["Ana", "Tom", "ana", ""])  # "": an invalid row
        email = rng.choice(["", "a@x.org", "B@x.org", "not-an-email"])
        phone = rng.choice(["", "860 555 0101", "12"])
        zip_code = rng.choice(["06103", "6105", "", "ABCDE"])
        where = rng.choice([*(c.slug for c in congregations), "Nowhere Church"])
        lines.append(f"{first},Ruiz,{email},{phone},{zip_code},{where},{rng.choice(['', 'choir'])}")
    return "\n".join(lines) + "\n"


def _outcomes(text, congregations, **options):
    seen = []
    plan = people_import(
        text=text,
        by=None,
        congregations=congregations,
        outcomes=seen.append,
        **options,
    )
    rows = [
        (o.line, o.name, o.action, o.person_id, o.same_as_line, o.reason, o.detail, o.cells)
        for o in seen
    ]
    return plan, rows


@pytest.mark.parametrize("seed", range(4))
def test_kept_rows_and_rows_read_again_decide_alike(
    seed, congregation, other_congregation, monkeypatch
):
    rng = random.Random(seed)
    congregations = [congregation, other_congregation]
    _network(rng, congregations)
    text = _file(rng, congregations)
    results = {}
    for keep in (10_000, 0, 25):  # all kept, none (read again), kept until line 26
        monkeypatch.setattr(importing, "KEEP_ROWS", keep)
        plan, rows = _outcomes(text, Congregation.objects.all(), dry_run=True)
        results[keep] = (plan.counts, plan.errors, rows)
    assert results[10_000] == results[0] == results[25]
    assert any(row[7] for row in results[0][2])  # rejected rows, with their cells


def test_a_short_file_is_cleaned_once_a_long_one_twice(congregation, monkeypatch):
    calls = []
    clean = importing.clean_row

    def counting(raw, congregations, default_id):
        calls.append(raw["first_name"])
        return clean(raw, congregations, default_id)

    monkeypatch.setattr(importing, "clean_row", counting)
    text = HEADER + "".join(f"\nP{i},Ruiz,p{i}@x.org,,06103,st-marks," for i in range(30))
    people_import(text=text, by=None, congregations=Congregation.objects.all())
    assert len(calls) == 30 and Person.objects.count() == 30
    calls.clear()
    monkeypatch.setattr(importing, "KEEP_ROWS", 20)
    again = people_import(text=text, by=None, congregations=Congregation.objects.all())
    assert len(calls) == 60  # over KEEP_ROWS: read and cleaned again
    assert not again.has_changes


def test_writing_with_kept_rows_skips_the_invalid_ones(congregation):
    text = f"{HEADER}\nAna,Ruiz,ana@x.org,,06103,st-marks,\n,Ruiz,,,,st-marks,\n"
    plan, rows = _outcomes(text, Congregation.objects.all(), skip_invalid=True)
    assert plan.counts["new"] == 1 and plan.counts["invalid"] == 1
    assert rows[1][7] == ["", "Ruiz", "", "", "", "st-marks", ""]  # the rejected row's cells
    assert Person.objects.get().email == "ana@x.org"
