"""Dues fixtures: a tier, a member congregation on it, and ledger clean-up for transactional
tests (the triggers refuse the DELETE/TRUNCATE Django's flush would run)."""

import datetime

import pytest
from django.db import connection, transaction

from congregations.ledger_triggers import wipe_ledger
from tests.congregations.factories import DuesTierFactory

# The Playwright fixtures for tests/congregations/test_e2e_*.py (defined for tests/e2e/).
from tests.e2e.conftest import browser, phone, screenshot, sign_in  # noqa: F401

TODAY = datetime.date(2026, 11, 25)  # FY27 began 1 July 2026


@pytest.fixture
def tier(db):
    return DuesTierFactory(name="Standard", annual_amount_cents=180_000)


@pytest.fixture
def member(congregation, tier):
    congregation.dues_tier = tier
    congregation.joined_on = datetime.date(2012, 3, 1)
    congregation.save()
    return congregation


@pytest.fixture
def wipe_ledger_after(transactional_db):
    """For transaction=True tests: empty the ledger before Django flushes the database."""
    yield
    with transaction.atomic():
        wipe_ledger(connection)
