import pytest

from tests.campaigns.factories import ActionFactory, PastActionFactory


@pytest.fixture
def action(db, congregation, other_congregation):
    return ActionFactory(congregations=[congregation, other_congregation])


@pytest.fixture
def past_action(db, congregation):
    return PastActionFactory(congregations=[congregation])
