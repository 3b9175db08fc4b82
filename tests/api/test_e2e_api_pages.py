"""In a real browser on a phone: make a token, then read the API documentation page, with the
strict Content-Security-Policy in force (no violation may be reported)."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_make_a_token_then_read_the_docs(phone, sign_in, screenshot, organizer):
    violations = []
    phone.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    sign_in(phone, organizer)
    phone.goto("/api/tokens/")
    phone.get_by_label("What is it for?").fill("Parsons sync")
    phone.get_by_role("button", name="Make token").click()
    token = phone.get_by_label("New token").input_value()
    assert re.fullmatch(r"conect_[\w-]{40,}", token)
    screenshot(phone, "api-token-made")
    phone.goto("/api/docs/")
    phone.locator(".swagger-ui .info .title").wait_for()
    assert "CONECT Organizer API" in phone.locator(".swagger-ui .info .title").inner_text()
    phone.get_by_text("Person signup helper", exact=False).first.wait_for()
    screenshot(phone, "api-docs")
    assert violations == []
