"""Fixtures for the people directory tests."""

import pytest

from tests.e2e.conftest import browser, phone, screenshot, sign_in  # noqa: F401 - e2e fixtures


@pytest.fixture
def csv_bytes():
    """CSV text → bytes, in a chosen encoding, with CRLF line ends if asked."""

    def make(*lines, encoding="utf-8", crlf=False, bom=False):
        text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
        data = text.encode(encoding)
        return (b"\xef\xbb\xbf" + data) if bom else data

    return make


HEADER = "first_name,last_name,email,phone,congregation,street,town,zip,language,tags"
