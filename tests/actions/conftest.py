import pytest

from tests.campaigns.factories import ActionFactory, PastActionFactory
from tests.conftest import CHROMIUM
from tests.e2e.conftest import CHROMIUM_ARGS, phone, screenshot, sign_in  # noqa: F401


@pytest.fixture(scope="module")
def browser():
    """tests/e2e's browser fixture is not visible here; this one lives only for the module, so it
    is closed before tests/e2e (which runs after tests/actions) starts its own Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def action(db, congregation, other_congregation):
    return ActionFactory(congregations=[congregation, other_congregation])


@pytest.fixture
def past_action(db, congregation):
    return PastActionFactory(congregations=[congregation])
