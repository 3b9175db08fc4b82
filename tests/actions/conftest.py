import pytest

from tests.campaigns.factories import ActionFactory, PastActionFactory
from tests.e2e.conftest import browser, phone, screenshot, sign_in  # noqa: F401 - e2e fixtures


@pytest.fixture
def action(db, congregation, other_congregation):
    return ActionFactory(congregations=[congregation, other_congregation])


@pytest.fixture
def past_action(db, congregation):
    return PastActionFactory(congregations=[congregation])
