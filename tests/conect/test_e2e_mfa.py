"""Two-step sign-in on a phone: an admin's first sign-in sets up the authenticator app, the next
one asks for its code. Each step counts the interactions (UX.md: a tap, a pick, or typing into
one field); docs/security.md reports them."""

import time

import pytest

from tests.browser import PASSWORD
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.CONECT = {**settings.CONECT, "MFA_REQUIRED": True}


class Phone:
    """The page, counting what the person does."""

    def __init__(self, page):
        self.page, self.interactions = page, 0

    def type(self, label, text):
        self.page.get_by_label(label).fill(text)
        self.interactions += 1

    def tap(self, locator):
        locator.tap()
        self.interactions += 1


def sign_in_with_password(phone: Phone, user):
    phone.page.goto("/accounts/login/")
    phone.type("Email", user.email)
    phone.type("Password", PASSWORD)
    phone.tap(phone.page.get_by_role("button", name="Sign in"))


def test_admin_sets_up_two_step_sign_in_then_signs_in_with_a_code(
    live_server, phone, screenshot, admin_user
):
    page = phone
    setup = Phone(page)
    sign_in_with_password(setup, admin_user)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.get_by_role("heading", name="Set up two-step sign-in").is_visible()
    assert page.get_by_role("alert").count() + page.get_by_role("status").count() >= 1
    link = page.get_by_test_id("totp-open-app")
    assert link.get_attribute("href").startswith("otpauth://totp/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "mfa-setup-phone")
    # On the phone the person taps "Add to my authenticator app" (the app opens, adds the
    # account, shows a code); the test reads the same key the link carries.
    setup.interactions += 1
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert secret in link.get_attribute("href")
    setup.type("Code from the app", totp_code(secret))
    setup.tap(page.get_by_role("button", name="Turn on"))
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    screenshot(page, "mfa-recovery-codes-phone")
    setup.tap(page.get_by_role("link", name="I have saved them: continue"))
    page.wait_for_url(lambda url: url.rstrip("/").endswith(live_server.url.rstrip("/")))
    assert page.get_by_role("heading", name="The network").is_visible()
    assert setup.interactions == 7  # email, password, sign in, add to app, code, turn on, continue

    page.context.clear_cookies()
    login = Phone(page)
    sign_in_with_password(login, admin_user)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    screenshot(page, "mfa-code-phone")
    assert page.get_by_label("Code").get_attribute("inputmode") == "numeric"
    login.type("Code", totp_code(secret, at=time.time() + 30))  # the setup code is spent
    login.tap(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.get_by_role("heading", name="The network").is_visible()
    assert login.interactions == 5  # email, password, sign in, code, sign in
