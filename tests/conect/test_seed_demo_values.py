"""seed_demo's issue-14 data: consented demographics for part of the people, a registration
drive, elections and pledge cards, some confirmed voted; wiped and re-made by --reset."""

import itertools

import pytest

from actions.models import ActionKind, Election, PledgeCard, RegistrationDriveResult
from members.demo import LAST, seed_values
from members.models import Demographics, Person, VoterRegistration

pytestmark = pytest.mark.django_db


def test_the_demo_has_values_data(demo_network):
    people = Person.objects.count()
    consented = Demographics.objects.filter(consented_on__isnull=False).count()
    assert 0.25 * people < consented < 0.45 * people
    assert VoterRegistration.objects.count() > 0.1 * people
    assert Election.objects.count() == 2
    drive = RegistrationDriveResult.objects.get()
    assert drive.action.kind == ActionKind.REGISTRATION_DRIVE
    assert PledgeCard.objects.filter(voted_confirmed_at__isnull=False).exists()
    assert PledgeCard.objects.filter(voted_confirmed_at__isnull=True).exists()
    assert "pledge-to-vote cards" in demo_network.out
    # --reset wipes and re-makes these rows: tests/conect/test_seed_demo.py's same-seed test.


def test_a_few_rows_await_consent():
    """The old free-text field's rows, 0.4 % of the people: the 400-person network (seed 2026)
    draws none, so the values step runs alone over 1,500 people (the whole seed took 10 s)."""
    names = itertools.cycle([name for pool in LAST.values() for name in pool])
    people = Person.objects.bulk_create(
        Person(first_name="Demo", last_name=next(names), town="Hartford") for _ in range(1_500)
    )
    out = seed_values({"seed": 2026, "people_created": people})
    consented = Demographics.objects.filter(consented_on__isnull=False).count()
    awaiting = Demographics.objects.filter(consented_on__isnull=True).count()
    assert 0.25 * 1_500 < consented < 0.45 * 1_500
    assert awaiting > 0 and f"{awaiting} awaiting consent" in out
