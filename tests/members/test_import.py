"""Importing people: header aliases, encodings, matching, atomicity, idempotence, speed shape."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congregations.models import Membership
from members.importing import ImportFileError, decode, map_header, plan_import
from members.models import AuditEvent, Language, Person, Tag
from members.services import people_import
from tests.factories import CongregationFactory, PersonFactory

from .conftest import HEADER

pytestmark = pytest.mark.django_db


def run(text, congregation=None, dry_run=False):
    from congregations.models import Congregation

    return people_import(
        text=text,
        by=None,
        congregations=Congregation.objects.all(),
        default_congregation=congregation,
        dry_run=dry_run,
    )


def test_contract_header_creates_people_memberships_and_tags(congregation):
    plan = run(
        f"{HEADER}\n"
        "Ana,Ruiz,ANA@example.org,(860) 555-0101,st-marks,1 Main St,Hartford,6103,Spanish,"
        '"housing team;youth"\n'
        "Tom,Berg,,860-555-0102,St. Mark's AME Church,,Hartford,06103,,\n"
    )
    assert plan.is_valid and plan.counts["new"] == 2
    ana = Person.objects.get(first_name="Ana")
    assert (ana.email, ana.phone, ana.zip, ana.language) == (
        "ana@example.org",
        "+18605550101",
        "06103",
        Language.SPANISH,
    )
    assert set(ana.tags.values_list("name", flat=True)) == {"housing team", "youth"}
    assert Membership.objects.get(person=ana).is_primary
    assert Person.objects.get(first_name="Tom").memberships.get().congregation == congregation
    assert ana.ladder_history.count() == 0  # history starts with their first move


def test_header_aliases_are_understood():
    mapping, ignored = map_header(
        ["First Name", "Surname", "Email Address", "Mobile Phone", "City", "ZIP Code", "Notes"]
    )
    assert sorted(mapping.values()) == sorted(
        ["first_name", "last_name", "email", "phone", "town", "zip"]
    )
    assert ignored == ["Notes"]
    assert map_header(["Given Name", "POSTAL_CODE", "e-mail"])[0] == {
        0: "first_name",
        1: "zip",
        2: "email",
    }


def test_bom_crlf_and_windows_1252(congregation, csv_bytes):
    data = csv_bytes(
        "First Name,Last Name,Email Address,Postal Code",
        "José,Núñez,jose@example.org,06103",
        encoding="cp1252",
        crlf=True,
    )
    assert "José" in decode(data)
    run(decode(data), congregation)
    assert Person.objects.get(email="jose@example.org").last_name == "Núñez"
    data = csv_bytes("first_name,email", "Zoë,zoe@example.org", bom=True, crlf=True)
    plan = run(decode(data), congregation)
    assert plan.is_valid and Person.objects.filter(first_name="Zoë").exists()


def test_any_invalid_row_means_nothing_is_written(congregation):
    plan = run(
        f"{HEADER}\n"
        "Ana,Ruiz,ana@example.org,,st-marks,,,,,\n"
        ",NoFirst,x@example.org,,st-marks,,,,,\n"
        "Bad,Email,not-an-email,,st-marks,,,,,\n"
        "Bad,Phone,,12345,st-marks,,,,,\n"
        "Bad,Zip,,,st-marks,,,ABCDE,,\n"
        "Bad,Place,,,Nowhere Church,,,,,\n"
        "Bad,Lang,,,st-marks,,,,Klingon,\n"
    )
    assert not plan.is_valid
    assert Person.objects.count() == 0 and Tag.objects.count() == 0
    lines = {error.line for error in plan.errors}
    assert lines == {3, 4, 5, 6, 7, 8}
    assert plan.counts["invalid"] == 6
    messages = " ".join(error.message for error in plan.errors)
    assert "first name is missing" in messages and "Nowhere Church" in messages


def test_missing_congregation_without_default_is_an_error(congregation):
    plan = run("first_name,last_name\nAna,Ruiz\n")
    assert not plan.is_valid and plan.errors[0].line == 2


def test_file_without_first_name_column_is_refused():
    plan = run("surname,email\nRuiz,ana@example.org\n")
    assert not plan.is_valid and plan.errors[0].line == 1


def test_reimporting_the_same_file_changes_nothing(congregation):
    text = (
        f"{HEADER}\n"
        "Ana,Ruiz,ana@example.org,8605550101,st-marks,,Hartford,06103,es,youth\n"
        "Tom,Berg,,8605550102,st-marks,,,,,\n"
        "Lee,Kim,,,st-marks,,,06103,,\n"
        "Only,Names,,,st-marks,,,,,\n"
    )
    assert run(text).counts["new"] == 4
    before = list(Person.objects.order_by("pk").values())
    memberships = Membership.objects.count()
    second = run(text)
    assert second.counts["unchanged"] == 4 and not second.has_changes
    assert list(Person.objects.order_by("pk").values()) == before
    assert Membership.objects.count() == memberships


def test_matching_rules_against_the_database(congregation, other_congregation):
    by_email = PersonFactory(first_name="Ana", last_name="Ruiz", email="ana@example.org", phone="")
    by_phone = PersonFactory(
        first_name="Thomas", last_name="O'Brien", email="", phone="+18605550102"
    )
    by_zip = PersonFactory(first_name="María José", last_name="Núñez", email="", zip="06103")
    plan = run(
        f"{HEADER}\n"
        "Ana,Ruiz,ANA@EXAMPLE.ORG,860 555 0101,temple-sinai,,,,,\n"  # email, any case
        "THOMAS,obrien,,(860) 555-0102,st-marks,,,,,\n"  # phone + the same first name
        "maria jose,NUNEZ,,,st-marks,,,06103,,\n"  # name + ZIP, accents ignored
    )
    assert plan.counts == {**plan.counts, "new": 0, "matched": 3}
    assert Person.objects.count() == 3
    by_email.refresh_from_db()
    assert by_email.phone == "+18605550101"  # empty field filled
    assert by_email.memberships.get().congregation == other_congregation
    assert by_email.memberships.get().is_primary  # had none: the new one is primary
    assert by_phone.memberships.filter(congregation=congregation).exists()
    assert by_zip.memberships.exists()


def test_a_match_never_overwrites(congregation):
    person = PersonFactory(
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        phone="+18605550101",
        town="Hartford",
        congregation=congregation,
    )
    run(f"{HEADER}\nAna,Ruiz,ana@example.org,8605559999,st-marks,9 New St,Bridgeport,06604,,\n")
    person.refresh_from_db()
    assert (person.phone, person.town) == ("+18605550101", "Hartford")
    assert person.street == "9 New St" and person.zip == "06604"  # were empty
    assert person.memberships.count() == 1


def test_second_congregation_is_added_as_non_primary(congregation, other_congregation):
    person = PersonFactory(email="ana@example.org", congregation=congregation)
    run(f"{HEADER}\nAna,Ruiz,ana@example.org,,temple-sinai,,,,,choir\n")
    assert person.memberships.get(congregation=other_congregation).is_primary is False
    assert person.memberships.get(congregation=congregation).is_primary is True
    assert list(person.tags.values_list("name", flat=True)) == ["choir"]


def test_duplicates_within_the_file_become_one_person(congregation):
    plan = run(
        f"{HEADER}\n"
        "Ana,Ruiz,ana@example.org,,st-marks,,,,,youth\n"
        "ANA, ruiz ,,8605550101,st-marks,,,,,choir\n"  # no email: no match yet by email...
        "Ana,Ruiz,Ana@Example.org,8605550101,st-marks,,,06103,,\n"
    )
    # Row 3 matches row 2 by email, row 4 matches row 2 by email and row 3 by phone + last name.
    assert plan.is_valid
    assert Person.objects.filter(last_name="Ruiz").count() == 2
    ana = Person.objects.get(email="ana@example.org")
    assert ana.phone == "+18605550101" and ana.zip == "06103"


def test_tags_match_case_insensitively(congregation):
    Tag.objects.create(name="Housing Team")
    run(f"{HEADER}\nAna,Ruiz,a@example.org,,st-marks,,,,,housing team | YOUTH\n")
    assert Tag.objects.count() == 2
    assert set(Person.objects.get().tags.values_list("name", flat=True)) == {
        "Housing Team",
        "YOUTH",
    }


def test_dry_run_writes_nothing(congregation):
    plan = run(f"{HEADER}\nAna,Ruiz,a@example.org,,st-marks,,,,,\n", dry_run=True)
    assert plan.counts["new"] == 1 and Person.objects.count() == 0


def test_import_is_audited(congregation):
    run(f"{HEADER}\nAna,Ruiz,a@example.org,,st-marks,,,,,\n")
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.detail["new"] == 1


def test_query_count_does_not_grow_with_rows(congregation):
    def queries_for(n, offset):
        rows = [
            f"P{i},Q{i},p{i}@example.org,,st-marks,,,,,tag{i % 3}"
            for i in range(offset, offset + n)
        ]
        with CaptureQueriesContext(connection) as captured:
            assert run(HEADER + "\n" + "\n".join(rows) + "\n").is_valid
        return len(captured)

    small, large = queries_for(20, 0), queries_for(1500, 1000)
    # Batches, never one query per row (SQLite's bound-variable limit makes batches smaller).
    assert small < 20 and large < 1500 / 20


def test_scope_limits_the_congregation_column(lead, congregation, other_congregation):
    from congregations.selectors import congregations_visible_to

    plan = plan_import(
        f"{HEADER}\nAna,Ruiz,a@example.org,,temple-sinai,,,,,\n",
        congregations=congregations_visible_to(lead),
    )
    assert not plan.is_valid and "temple-sinai" in plan.errors[0].message


class TestCommand:
    def test_imports_and_is_idempotent(self, tmp_path, congregation, capsys):
        path = tmp_path / "people.csv"
        path.write_text(f"{HEADER}\nAna,Ruiz,a@example.org,,,,,,,\n", encoding="utf-8")
        call_command("import_people", str(path), "--congregation", "st-marks")
        assert "1 new" in capsys.readouterr().out
        call_command("import_people", str(path), "--congregation", "st-marks")
        assert "Nothing to change" in capsys.readouterr().out
        assert Person.objects.count() == 1

    def test_errors_exit_non_zero_with_line_numbers(self, tmp_path, congregation, capsys):
        path = tmp_path / "bad.csv"
        path.write_text(f"{HEADER}\nAna,Ruiz,bad-email,,st-marks,,,,,\n", encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("import_people", str(path))
        assert "line 2:" in capsys.readouterr().err
        assert Person.objects.count() == 0

    def test_dry_run(self, tmp_path, congregation, capsys):
        path = tmp_path / "people.csv"
        path.write_text(f"{HEADER}\nAna,Ruiz,a@example.org,,st-marks,,,,,\n", encoding="utf-8")
        call_command("import_people", str(path), "--dry-run")
        assert "Dry run" in capsys.readouterr().out and Person.objects.count() == 0

    def test_unknown_default_congregation(self, tmp_path, db):
        path = tmp_path / "people.csv"
        path.write_text(f"{HEADER}\n", encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("import_people", str(path), "--congregation", "nope")


@pytest.mark.postgres
def test_import_on_postgresql(congregation):
    CongregationFactory(name="Second")
    text = (
        HEADER
        + "\n"
        + "\n".join(f"P{i},Q{i},p{i}@example.org,860555{i:04d},st-marks,,,,,t" for i in range(300))
    )
    assert run(text).counts["new"] == 300
    assert not run(text).has_changes


@pytest.mark.postgres
def test_trigram_indexes_exist_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'members_person' "
            "AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "person_first_name_trgm",
        "person_last_name_trgm",
        "person_email_trgm",
        "person_phone_trgm",
    }


def test_a_single_name_column_is_split(congregation):
    plan = run(
        'Name,Email\n"Ana María Ruiz",a@x.org\n"Berg, Tom",t@x.org\nCher,c@x.org\n', congregation
    )
    assert plan.is_valid
    names = set(Person.objects.values_list("first_name", "last_name"))
    assert names == {("Ana María", "Ruiz"), ("Tom", "Berg"), ("Cher", "")}


class TestIssue11Reading:
    """Encodings, the file-level message, extensions, languages, skip-invalid (issue 11)."""

    def test_bom_in_front_of_windows_1252(self, congregation):
        data = b"\xef\xbb\xbf" + "First Name,Last Name\r\nJosé,Núñez\r\n".encode("cp1252")
        plan = run(decode(data), congregation)
        assert plan.is_valid and Person.objects.get().last_name == "Núñez"

    def test_mac_roman(self, congregation):
        data = "first_name,last_name,town\rJosé,Núñez,Bogotá\rFrançois,Hébert,Montréal\r"
        text = decode(data.encode("mac_roman"))
        assert "Núñez" in text and "Montréal" in text and "\r" not in text
        assert run(text, congregation).counts["new"] == 2

    def test_windows_1252_is_not_taken_for_mac_roman(self):
        assert decode("first_name\nJosé Núñez Peña\n".encode("cp1252")) == (
            "first_name\nJosé Núñez Peña\n"
        )

    def test_utf16_with_bom(self):
        assert decode("first_name\nZoë\n".encode("utf-16")) == "first_name\nZoë\n"

    @pytest.mark.parametrize(
        "data", [b"PK\x03\x04rest", b"first_name\nA\x00na\n", b"\xd0\xcf\x11\xe0", b"%PDF-1.4"]
    )
    def test_binary_is_refused(self, data):
        with pytest.raises(ImportFileError):
            decode(data)

    def test_a_file_error_is_one_message_without_a_doubled_line_prefix(self):
        plan = run("surname,email\nRuiz,a@x.org\n")
        assert plan.file_error.startswith("The first line has no first-name column")
        assert "Line 1:" not in plan.file_error

    def test_a_cell_over_the_csv_limit_is_a_file_error_not_a_crash(self):
        plan = run("first_name,last_name\n" + "A" * 140_000 + ",Ruiz\n")
        assert "131,072" in plan.file_error and Person.objects.count() == 0

    @pytest.mark.parametrize(
        ("phone", "extension", "expected"),
        [
            ("(860) 555-0123 ext. 204", "", ("+18605550123", "204")),
            ("860-555-0123 x12", "", ("+18605550123", "12")),
            ("860.555.0123 #9", "", ("+18605550123", "9")),
            ("8605550123", "31", ("+18605550123", "31")),
            ("8605550123", "", ("+18605550123", "")),
        ],
    )
    def test_phone_extensions_are_kept(self, congregation, phone, extension, expected):
        run(f'first_name,phone,ext\nAna,"{phone}",{extension}\n', congregation)
        person = Person.objects.get()
        assert (person.phone, person.phone_extension) == expected

    def test_an_extension_fills_a_matched_person_with_the_same_phone(self, congregation):
        person = PersonFactory(first_name="Ana", phone="+18605550123", congregation=congregation)
        run("first_name,phone\nAna,860 555 0123 ext 7\n", congregation)
        person.refresh_from_db()
        assert person.phone_extension == "7"

    @pytest.mark.parametrize(
        ("value", "code"),
        [("vi", "vi"), ("Vietnamese", "vi"), ("Tiếng Việt", "vi"), ("pt-BR", "pt"), ("zh", "zh")],
    )
    def test_any_iso_639_1_language(self, congregation, value, code):
        assert run(f"first_name,language\nAna,{value}\n", congregation).is_valid
        person = Person.objects.get()
        assert person.language == code
        person.full_clean()  # the model accepts it too

    def test_an_unknown_language_is_still_an_error(self, congregation):
        assert not run("first_name,language\nAna,xx\n", congregation).is_valid

    def test_messages_to_other_languages_fall_back_to_english(self):
        from notifications.services import render

        assert render("followup_due", "vi", {}) == render("followup_due", "en", {})

    def test_skip_invalid_command(self, tmp_path, congregation, capsys):
        path = tmp_path / "mixed.csv"
        path.write_text("first_name,email\nAna,a@x.org\nTom,bad@\n", encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("import_people", str(path), "--congregation", "st-marks")
        assert Person.objects.count() == 0  # all or nothing by default
        call_command("import_people", str(path), "--congregation", "st-marks", "--skip-invalid")
        out = capsys.readouterr()
        assert "line 3:" in out.err and "1 new" in out.out
        assert list(Person.objects.values_list("first_name", flat=True)) == ["Ana"]

    def test_a_binary_file_is_refused_by_the_command(self, tmp_path, db):
        path = tmp_path / "people.csv"
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
        with pytest.raises(CommandError, match="not a CSV"):
            call_command("import_people", str(path))
