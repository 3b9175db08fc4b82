"""Namesakes at a ZIP that are only counted (issue 16, Must 5).

When only rows with an email or a phone look up a first + last name + ZIP held by two or more
people, the import asks the database how many there are and who is first, instead of loading
them all (at 1,000,000 people every name + ZIP of the bench's file is held by about eight).
These tests hold the matching rules to what loading everyone gives, on SQLite and PostgreSQL.
"""

import random

import pytest

from congregations.models import Congregation
from members import importing
from members.models import ImportRow, Person
from members.services import people_import
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

A = ImportRow.Action
HEADER = "first_name,last_name,email,phone,zip,street,tags"


def run(text, *, dry_run=False, default):
    outcomes = []
    plan = people_import(
        text=text,
        by=None,
        congregations=Congregation.objects.all(),
        default_congregation=default,
        dry_run=dry_run,
        outcomes=outcomes.append,
    )
    assert plan.is_valid
    return plan, [(o.line, o.action, o.reason, o.person_id, o.same_as_line) for o in outcomes]


def person(congregation, first="John", last="Smith", zip_code="06103", **fields):
    return PersonFactory(
        first_name=first,
        last_name=last,
        zip=zip_code,
        email=fields.pop("email", ""),
        congregation=congregation,
        **fields,
    )


@pytest.fixture
def load_everyone(monkeypatch):
    """Matching as before counting: every namesake loaded, none only counted."""

    def loading(monkeypatch):
        add = importing._Wanted.add

        def add_uncounted(self, row, keys):
            add(self, row, keys)
            if keys.name_zip:
                first, last, zip5, _counted = self.name_zips[keys.name_zip]
                self.name_zips[keys.name_zip] = (first, last, zip5, False)

        monkeypatch.setattr(importing._Wanted, "add", add_uncounted)

    return lambda: loading(monkeypatch)


def test_two_namesakes_at_a_zip_never_merge_and_are_only_counted(congregation):
    first, second = person(congregation, phone="+18605550101"), person(congregation)
    text = f"{HEADER}\nJohn,Smith,john@x.org,,06103,,\n"
    plan, outcomes = run(text, default=congregation)
    assert outcomes == [(2, A.FLAGGED, "ambiguous", first.pk, None)]
    assert {first.pk, second.pk}.isdisjoint(plan.people.pid)  # both only counted
    assert list(plan.people.counted.values()) == [(2, first.pk)]
    assert Person.objects.count() == 3
    again, outcomes = run(text, default=congregation)  # the new John Smith has the email now
    assert outcomes == [(2, A.UNCHANGED, "email", Person.objects.latest("pk").pk, None)]
    assert not again.has_changes


def test_one_namesake_at_the_zip_is_loaded_and_matched(congregation):
    only = person(congregation)
    plan, outcomes = run(f"{HEADER}\nJohn,Smith,john@x.org,,06103,,\n", default=congregation)
    assert outcomes == [(2, A.UPDATE, "name_zip", only.pk, None)]
    assert not plan.people.counted


def test_a_counted_namesake_sharing_the_phone_is_counted_once(congregation):
    """The namesake with the row's phone and another email came close twice (by phone, by
    name + ZIP): one person, so with one other namesake the row is ambiguous between two."""
    sharing = person(congregation, email="other@x.org", phone="+18605550101")
    row = f"{HEADER}\nJohn,Smith,john@x.org,860 555 0101,06103,,\n"
    _plan, outcomes = run(row, dry_run=True, default=congregation)
    assert outcomes == [(2, A.FLAGGED, "conflict", sharing.pk, None)]  # one person came close
    person(congregation)
    _plan, outcomes = run(row, dry_run=True, default=congregation)
    assert outcomes == [(2, A.FLAGGED, "ambiguous", sharing.pk, None)]


def test_a_row_without_email_or_phone_still_finds_its_namesake_already_there(congregation):
    """A key also wanted by a row with neither email nor phone is not counted: that row may
    be "already there" on one of several namesakes."""
    person(congregation)
    there = person(congregation, street="1 Main St")
    text = f"{HEADER}\nJohn,Smith,,,06103,1 Main St,\nJohn,Smith,john@x.org,,06103,,\n"
    plan, outcomes = run(text, dry_run=True, default=congregation)
    assert outcomes[0] == (2, A.UNCHANGED, "same", there.pk, None)
    assert outcomes[1][1:3] == (A.FLAGGED, "ambiguous")
    assert not plan.people.counted


def test_the_files_own_namesakes_join_the_counted_ones(congregation):
    first = person(congregation)
    person(congregation)
    text = (
        f"{HEADER}\n"
        "John,Smith,a@x.org,,06103,,\n"  # flagged: two namesakes in the database
        "John,Smith,b@x.org,,06103,,\n"  # flagged: three now, the first still first
        "John,Smith,a@x.org,,06103,,tag\n"  # the first row's person, by email
    )
    _plan, outcomes = run(text, default=congregation)
    assert outcomes == [
        (2, A.FLAGGED, "ambiguous", first.pk, None),
        (3, A.FLAGGED, "ambiguous", first.pk, None),
        (4, A.UPDATE, "email", None, 2),
    ]


def test_a_zip_without_its_leading_zero_is_the_same_zip(congregation):
    """ "6103" in the database reads as 06103, as the rows' keys do."""
    first = person(congregation, zip_code="6103")
    person(congregation, zip_code="06103-1234")
    _plan, outcomes = run(f"{HEADER}\nJohn,Smith,j@x.org,,06103,,\n", default=congregation)
    assert outcomes == [(2, A.FLAGGED, "ambiguous", first.pk, None)]


FIRST, LAST, ZIPS = ["Ana", "ana", "Tom"], ["Ruiz", "Berg"], ["06103", "06105", "6103", ""]
EMAILS = ["", "", "a@x.org", "B@x.org", "c@x.org"]
PHONES = ["", "", "+18605550101", "+18605550102"]


def _network(rng, congregation, other):
    for _i in range(60):
        PersonFactory(
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            email=rng.choice(EMAILS),
            phone=rng.choice(PHONES),
            zip=rng.choice(ZIPS),
            street=rng.choice(["", "1 Main St"]),
            congregation=rng.choice([congregation, other]),
        )


def _file(rng, rows=80):
    lines = [HEADER]
    for _i in range(rows):
        email, phone = rng.choice(EMAILS).lower(), rng.choice(PHONES)
        first, last, zip_code = rng.choice(FIRST), rng.choice(LAST), rng.choice(ZIPS)
        street, tag = rng.choice(["", "1 Main St"]), rng.choice(["", "", "choir"])
        lines.append(f"{first},{last},{email},{phone},{zip_code},{street},{tag}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(6))
def test_counting_decides_every_row_as_loading_everyone_does(
    seed, congregation, other_congregation, load_everyone
):
    rng = random.Random(seed)
    _network(rng, congregation, other_congregation)
    text = _file(rng)
    counted_plan, counted = run(text, dry_run=True, default=congregation)
    load_everyone()
    loaded_plan, loaded = run(text, dry_run=True, default=congregation)
    assert counted == loaded
    assert counted_plan.counts == loaded_plan.counts
    assert not loaded_plan.people.counted


@pytest.mark.parametrize("seed", range(3))
def test_a_rerun_of_a_file_with_counted_namesakes_changes_nothing(
    seed, congregation, other_congregation
):
    rng = random.Random(100 + seed)
    _network(rng, congregation, other_congregation)
    text = _file(rng)
    run(text, default=congregation)
    people = Person.objects.count()
    again, _outcomes = run(text, default=congregation)
    assert not again.has_changes
    assert Person.objects.count() == people


@pytest.mark.postgres
@pytest.mark.parametrize("seed", range(4))
def test_postgresql_counts_as_loading_everyone_does(
    seed, congregation, other_congregation, load_everyone
):
    test_counting_decides_every_row_as_loading_everyone_does(
        seed, congregation, other_congregation, load_everyone
    )


@pytest.mark.postgres
def test_postgresql_counts_namesakes_and_loads_no_one_else(congregation):
    test_two_namesakes_at_a_zip_never_merge_and_are_only_counted(congregation)
