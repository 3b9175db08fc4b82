"""Browser tests: Playwright (Python) driving Debian's chromium against Django's live server.

Fixtures (available to every test folder through tests/conftest.py): `browser` (one chromium for
the whole run, however many folders ask for it: two Playwright instances in one thread clash),
`phone` (a fresh 390×844 touch page whose
base_url is the live server), `sign_in(page, user)` and `screenshot(page, name)` which writes
var/screenshots/<name>.png (git-ignored). Mark modules with `pytestmark = pytest.mark.e2e`.
"""

import contextlib
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CONECT_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "pw-for-tests-1"  # set by tests.factories.UserFactory


_shared: dict = {}


def shared_browser():
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    return _shared["browser"]


def close_shared_browser() -> None:
    if "browser" in _shared:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@pytest.fixture(scope="session")
def browser():
    return shared_browser()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
        locale="en-US",
    )
    context.set_default_timeout(20_000)  # a shared 2-core machine can be slow
    in_flight: set = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    page = context.new_page()
    yield page
    # No request of the page's may still be running in the live server when the test's tables
    # are emptied: a view holding its transaction while the flush's TRUNCATE waited deadlocked
    # once under two test processes, and left the next test rows it should not have seen.
    deadline = time.monotonic() + 10
    with contextlib.suppress(PlaywrightError):
        while in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)
    context.close()


@pytest.fixture
def sign_in():
    def go(page, user, password=PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return go


def sign_out(page) -> None:
    """Open the phone menu, wait until Bootstrap's collapse has finished opening, sign out.

    Clicking "Sign out" while the menu is still sliding open was seen to land nowhere about one
    run in ten on a loaded machine: the click reached no element and no request was sent."""
    page.get_by_role("button", name="Open the menu").click()
    page.locator("#nav.show:not(.collapsing)").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/**")


@pytest.fixture
def screenshot():
    def shoot(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot
