"""seed_demo's issue-14 data: consented demographics for part of the people, a registration
drive, elections and pledge cards, some confirmed voted; wiped and re-made by --reset."""

import pytest
from django.core.management import call_command

from actions.models import ActionKind, Election, PledgeCard, RegistrationDriveResult
from members.models import Demographics, Person, VoterRegistration

pytestmark = pytest.mark.django_db


def test_the_demo_has_values_data(capsys):
    call_command("seed_demo", "--force", "--people", "1500")
    people = Person.objects.count()
    consented = Demographics.objects.filter(consented_on__isnull=False).count()
    assert 0.25 * people < consented < 0.45 * people
    assert Demographics.objects.filter(consented_on__isnull=True).exists()  # awaiting consent
    assert VoterRegistration.objects.count() > 0.1 * people
    assert Election.objects.count() == 2
    drive = RegistrationDriveResult.objects.get()
    assert drive.action.kind == ActionKind.REGISTRATION_DRIVE
    assert PledgeCard.objects.filter(voted_confirmed_at__isnull=False).exists()
    assert PledgeCard.objects.filter(voted_confirmed_at__isnull=True).exists()
    assert "pledge-to-vote cards" in capsys.readouterr().out
    call_command("seed_demo", "--force", "--people", "200", "--reset")
    assert Election.objects.count() == 2 and Demographics.objects.count() < consented
