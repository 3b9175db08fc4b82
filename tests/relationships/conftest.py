"""Fixtures for relational meetings: a person in the organizer's congregation, a stranger in
another congregation, a core-team member with a login, and a one-on-one with private notes."""

import importlib.util

import pytest

from conect.access import Role
from congregations.models import MembershipRole

# The Playwright fixtures (browser, phone, sign_in, screenshot) for test_e2e_*.py here: offered
# by tests/conftest.py once tests/browser.py exists, else borrowed from tests/e2e/conftest.py.
if importlib.util.find_spec("tests.browser") is None:
    from tests.e2e.conftest import browser, phone, screenshot, sign_in  # noqa: F401
from tests.factories import MembershipFactory, PersonFactory, UserFactory

from .factories import IssueHeardFactory, OneOnOneFactory

SECRET = "Her brother was deported in 2019; she is angry about it"


@pytest.fixture
def member(congregation):
    return PersonFactory(congregation=congregation, first_name="Maria", last_name="Santos")


@pytest.fixture
def stranger(other_congregation):
    return PersonFactory(congregation=other_congregation, first_name="Zebulon", last_name="Oak")


@pytest.fixture
def core_team_user(congregation):
    """A leader with a login who is on the congregation's core team."""
    user = UserFactory(role=Role.LEADER)
    person = PersonFactory(user=user, first_name="Core", last_name="Member")
    MembershipFactory(person=person, congregation=congregation, role=MembershipRole.CORE_TEAM)
    return user


@pytest.fixture
def housing(db):
    return IssueHeardFactory(name="housing")


@pytest.fixture
def private_meeting(organizer, member, congregation, housing):
    return OneOnOneFactory(
        author=organizer, person=member, congregation=congregation, notes=SECRET, issues=[housing]
    )
