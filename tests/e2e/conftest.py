# The browser fixtures live in tests/browser.py; tests/conftest.py offers them to every folder.
from tests.browser import CHROMIUM_ARGS, browser, phone, screenshot, sign_in  # noqa: F401
