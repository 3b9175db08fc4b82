"""A lead imports a small CSV on a phone, checks the preview, confirms, finds a person, edits."""

import pytest

from members.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "First Name,Last Name,Email Address,Mobile Phone,City,ZIP Code,Tags\r\n"
    "Ana,Ruiz,ana.ruiz@example.org,(860) 555-0101,Hartford,6103,housing team\r\n"
    "Tom,Berg,,860.555.0102,Hartford,06103,\r\n"
    "Keisha,Banks,keisha@example.org,,Hartford,06103,youth\r\n"
)


def test_lead_imports_then_finds_and_edits_on_a_phone(
    phone, sign_in, screenshot, lead, congregation, tmp_path
):
    path = tmp_path / "roster.csv"
    path.write_text(CSV, encoding="utf-8")
    sign_in(phone, lead)

    phone.goto("/people/import/")
    phone.get_by_label("CSV file").set_input_files(str(path))
    phone.get_by_role("button", name="Upload and preview").click()
    assert phone.get_by_test_id("count-new").inner_text() == "3"
    assert phone.get_by_test_id("import-status").inner_text() == "Ready to confirm"
    assert Person.objects.count() == 0
    screenshot(phone, "members-import-preview")
    phone.get_by_role("button", name="Confirm import").click()
    phone.get_by_test_id("import-status").filter(has_text="Imported").wait_for()
    assert Person.objects.filter(memberships__congregation=congregation).count() == 3

    phone.get_by_role("link", name="See the people").click()
    phone.get_by_role("searchbox").fill("Rui")  # htmx narrows the list as you type
    phone.get_by_test_id("results-summary").filter(has_text="1 person").wait_for()
    phone.get_by_role("button", name="Search", exact=True).click()
    assert phone.get_by_test_id("result-count").inner_text() == "1"
    # The filters stay open when one is in use (here the congregation the import page linked).
    assert phone.evaluate("document.querySelector('details.filters').open")
    phone.get_by_label("Ladder level").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "members-directory")
    phone.get_by_role("link", name="Ana Ruiz").click()
    assert phone.get_by_text("+18605550101").is_visible()
    phone.get_by_role("link", name="Edit").click()
    phone.get_by_label("Phone").fill("(203) 555-0199")
    phone.get_by_label("SMS ok").check()
    phone.get_by_role("button", name="Save").click()
    assert phone.get_by_text("+12035550199").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "members-person-after-edit")
    ana = Person.objects.get(email="ana.ruiz@example.org")
    assert ana.phone == "+12035550199" and ana.sms_ok


def test_lead_imports_the_valid_rows_and_keeps_the_rejected_ones_on_a_phone(
    phone, sign_in, screenshot, lead, congregation, tmp_path
):
    path = tmp_path / "roster.csv"
    path.write_text(
        "first_name,last_name,phone,congregation\r\n"
        "José,Núñez,860 555 0101 ext. 204,St Marks AME\r\n"
        "Ana,Ruiz,12345,\r\n",
        encoding="utf-8-sig",
    )
    sign_in(phone, lead)
    phone.goto("/people/import/")
    phone.get_by_label("CSV file").set_input_files(str(path))
    phone.get_by_label("Congregation for rows that name none").select_option(str(congregation.pk))
    phone.get_by_role("button", name="Upload and preview").click()
    assert phone.get_by_test_id("import-row").count() == 2  # every row, with what happens
    assert phone.get_by_test_id("rejected-csv").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "members-import-rejected-rows")
    with phone.expect_download() as download:
        phone.get_by_test_id("rejected-csv").click()
    assert "12345" in download.value.path().read_text(encoding="utf-8-sig")
    phone.get_by_role("button", name="Import the valid rows, skip the rejected ones").click()
    phone.get_by_test_id("import-status").filter(has_text="Imported").wait_for()
    jose = Person.objects.get()
    assert (jose.last_name, jose.phone, jose.phone_extension) == ("Núñez", "+18605550101", "204")
