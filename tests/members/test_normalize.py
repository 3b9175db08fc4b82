"""Normalisation of contact details and names, the keys every match compares."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from conect.normalize import (
    _PLAIN_EMAIL,
    clean_spaces,
    name_key,
    normalize_email,
    normalize_phone,
    normalize_zip,
    tidy_name,
)


@pytest.mark.parametrize(
    "raw",
    [
        "(860) 555-0123",
        "860.555.0123",
        "860-555-0123",
        "1-860-555-0123",
        "+1 860 555 0123",
        " 8605550123 ",
        "860 555 0123 ext. 12",
        "+18605550123",
    ],
)
def test_us_phones_become_e164(raw):
    assert normalize_phone(raw) == "+18605550123"


def test_international_phone_with_plus_is_kept():
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("raw", ["555-0123", "123", "(060) 555-0123", "phone", "+1 860 555 01234"])
def test_bad_phones_are_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert raw in error.value.messages[0]


def test_empty_stays_empty():
    assert normalize_phone("  ") == "" and normalize_zip("") == "" and normalize_email(" ") == ""


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("06103", "06103"),
        ("6103", "06103"),
        (" 06103-1234 ", "06103-1234"),
        ("061031234", "06103-1234"),
    ],
)
def test_zip_codes(raw, clean):
    assert normalize_zip(raw) == clean


@pytest.mark.parametrize("raw", ["ABCDE", "123", "1234567"])
def test_bad_zip(raw):
    with pytest.raises(ValidationError):
        normalize_zip(raw)


def test_email_is_trimmed_and_lowercased():
    assert normalize_email("  Ana.Ruiz@Example.ORG ") == "ana.ruiz@example.org"
    with pytest.raises(ValidationError):
        normalize_email("ana@")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("José", "jose"),
        ("  María   José ", "maria jose"),
        ("O'Brien", "OBRIEN"),
        ("O’Brien", "o'brien"),
        ("Jean-Baptiste", "jean baptiste"),
        ("Núñez", "NUNEZ"),
        ("St. John", "st john"),
    ],
)
def test_name_keys_ignore_accents_apostrophes_case_and_spaces(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_stay_different():
    assert name_key("Ana") != name_key("Anna")


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("MARIA  GARCIA", "Maria Garcia"),
        ("o'brien", "O'Brien"),
        ("McDonald", "McDonald"),
        ("jean-baptiste", "Jean-Baptiste"),
        ("de la Cruz", "de la Cruz"),
    ],
)
def test_tidy_name(raw, tidy):
    assert tidy_name(raw) == tidy


# The import's fast path for plain addresses must never accept what Django's validator rejects.


@settings(max_examples=150, deadline=None)
@given(st.from_regex(_PLAIN_EMAIL, fullmatch=True))
def test_every_plain_address_is_one_django_accepts(address):
    if len(address) <= 320:
        validate_email(address)  # raises if the fast path let through what Django would not
        assert normalize_email(address) == address


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='ab.-_+@Z9é"[]: ', max_size=30))
def test_the_fast_path_and_django_agree_on_any_text(text):
    try:
        validate_email(clean_spaces(text).strip("<>").lower())
        django_says = True
    except ValidationError:
        django_says = False
    try:
        normalize_email(text)
        ours = True
    except ValidationError:
        ours = False
    assert ours == django_says or not clean_spaces(text)


@pytest.mark.parametrize(
    "raw",
    [
        "ana..ruiz@example.org",
        "ana@-example.org",
        "ana@example.o",
        "ana@example.org-",
        ".ana@x.org",
    ],
)
def test_addresses_the_fast_path_leaves_to_django_are_still_refused(raw):
    with pytest.raises(ValidationError):
        normalize_email(raw)


def test_addresses_only_django_accepts_still_pass():
    assert normalize_email("Ana@München.de") == "ana@münchen.de"
    assert normalize_email("ana{x}@example.org") == "ana{x}@example.org"
    assert normalize_email('"ana"@example.org') == '"ana"@example.org'
    assert normalize_email("ana@[127.0.0.1]") == "ana@[127.0.0.1]"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é\t\n\u00a0\u2003\x1f\x85\u2028."), max_size=12))
def test_clean_spaces_without_its_regular_expression_cleans_the_same(text):
    """The shortcut for values with nothing to clean gives what the expression would."""
    assert clean_spaces(text) == re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
