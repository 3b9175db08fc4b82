"""assess_dues: one assessment per member congregation and fiscal year, by tier, prorated."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from congregations.fiscal import fiscal_year_bounds, fiscal_year_of, months_remaining
from congregations.models import CongregationStatus, EntryKind, LedgerEntry
from congregations.services import assessment_amount, dues_assess_year
from congregations.tasks import dues_assess_current_year
from tests.factories import CongregationFactory

pytestmark = pytest.mark.django_db


def test_fiscal_year_runs_july_to_june():
    assert fiscal_year_of(datetime.date(2025, 6, 30)) == 2025
    assert fiscal_year_of(datetime.date(2025, 7, 1)) == 2026
    assert fiscal_year_bounds(2026) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))


def test_fiscal_year_start_is_a_setting(settings):
    settings.CONECT = {**settings.CONECT, "FISCAL_YEAR_START_MONTH": 1}
    assert fiscal_year_of(datetime.date(2025, 7, 1)) == 2025
    assert fiscal_year_bounds(2025) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.mark.parametrize(
    ("joined", "months", "cents"),
    [
        (None, 12, 180_000),
        (datetime.date(2010, 1, 1), 12, 180_000),
        (datetime.date(2025, 7, 1), 12, 180_000),
        (datetime.date(2026, 1, 15), 6, 90_000),  # January: Jan–June
        (datetime.date(2026, 6, 30), 1, 15_000),
        (datetime.date(2025, 11, 3), 8, 120_000),
        (datetime.date(2026, 7, 1), 0, 0),  # joins after the year
    ],
)
def test_prorating_by_whole_months(joined, months, cents):
    assert months_remaining(2026, joined) == months
    assert assessment_amount(180_000, 2026, joined) == cents


def test_prorating_rounds_to_the_cent():
    # $1,000.01 × 7/12 = $583.339… → 58334 cents
    assert assessment_amount(100_001, 2026, datetime.date(2025, 12, 1)) == 58_334


def test_assessment_posts_once_per_member_and_year(member, tier, other_congregation):
    other_congregation.status = CongregationStatus.PROSPECT
    other_congregation.dues_tier = tier
    other_congregation.save()
    no_tier = CongregationFactory(name="No Tier Church")
    run = dues_assess_year(fiscal_year=2026)
    assert [e.congregation for e in run.posted] == [member]
    assert run.without_tier == [no_tier]
    entry = run.posted[0]
    assert (entry.kind, entry.amount_cents, entry.fiscal_year) == ("assessment", 180_000, 2026)
    assert entry.effective_on == datetime.date(2025, 7, 1) and entry.created_by is None
    again = dues_assess_year(fiscal_year=2026)
    assert again.posted == [] and again.already == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.ASSESSMENT).count() == 1


def test_mid_year_joiner_is_prorated_and_dated_when_they_joined(member):
    member.joined_on = datetime.date(2026, 3, 10)
    member.save()
    (entry,) = dues_assess_year(fiscal_year=2026).posted
    assert entry.amount_cents == 60_000  # March–June: 4/12 of $1,800
    assert entry.effective_on == datetime.date(2026, 3, 10)
    assert "prorated 4/12" in entry.memo
    assert dues_assess_year(fiscal_year=2027).posted[0].amount_cents == 180_000


def test_dry_run_posts_nothing(member):
    run = dues_assess_year(fiscal_year=2026, dry_run=True)
    assert len(run.posted) == 1 and not LedgerEntry.objects.exists()


def test_command_is_idempotent(member, capsys):
    call_command("assess_dues", "--year", "2026")
    out = capsys.readouterr().out
    assert "1 posted" in out and "$1,800.00" in out
    call_command("assess_dues", "--year", "2026")
    assert "0 posted, 1 already assessed" in capsys.readouterr().out
    assert LedgerEntry.objects.count() == 1


def test_command_refuses_a_silly_year(member):
    with pytest.raises(CommandError):
        call_command("assess_dues", "--year", "26")


@freeze_time("2026-11-25 12:00:00")
def test_task_assesses_the_current_year(member, settings):
    assert dues_assess_current_year.delay().get() == 1
    assert LedgerEntry.objects.get().fiscal_year == 2027
    assert dues_assess_current_year() == 0
    schedule = settings.CELERY_BEAT_SCHEDULE["dues-assess-current-year"]
    assert schedule["task"] == "congregations.tasks.dues_assess_current_year"
