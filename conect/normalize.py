"""Cleaning of contact details and the keys used to match the same person twice.

Shared by the person form, the import and the duplicate scan, so a phone typed in a form and the
same phone in a spreadsheet always compare equal.
"""

import re
import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

_NON_DIGITS = re.compile(r"\D")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d+\s*$", re.IGNORECASE)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_ZIP = re.compile(r"^(\d{5})(?:-?(\d{4}))?$")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = "'’‘`´ʼ"
# Plain addresses (ASCII letters, digits, _+- and single dots before the @, dotted labels and a
# TLD of letters after it): a strict subset of what Django's validate_email accepts, checked
# without it (a sixth of an import's first pass went to that validator). Anything else goes to
# it; tests/members/test_normalize.py holds the subset.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z",
    re.ASCII,
)


def clean_spaces(value: str) -> str:
    """Trim and collapse runs of white space (spreadsheets are full of double spaces). Most
    values have nothing to clean and skip the regular expression: every white space but " " is
    unprintable, so a printable value without doubled or outer spaces is already clean."""
    text = value or ""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def normalize_phone(value: str) -> str:
    """A phone number in E.164. US numbers may be written any common way ("(860) 555-0123",
    "860.555.0123", "1-860-555-0123"); others need a leading "+". Empty stays empty."""
    raw = clean_spaces(value)
    if not raw:
        return ""
    raw = _EXTENSION.sub("", raw)
    digits = _NON_DIGITS.sub("", raw)
    if raw.startswith("+"):
        candidate = "+" + digits
    elif len(digits) == 10:
        candidate = "+1" + digits
    elif len(digits) == 11 and digits.startswith("1"):
        candidate = "+" + digits
    else:
        raise ValidationError(
            _("“%(value)s” is not a phone number: use 10 digits, e.g. (860) 555-0123."),
            code="phone",
            params={"value": value},
        )
    if candidate.startswith("+1") and (len(candidate) != 12 or candidate[2] in "01"):
        raise ValidationError(
            _("“%(value)s” is not a valid US phone number."), code="phone", params={"value": value}
        )
    if not _E164.match(candidate):
        raise ValidationError(
            _("“%(value)s” is not a phone number in international form."),
            code="phone",
            params={"value": value},
        )
    return candidate


def normalize_zip(value: str) -> str:
    """A US ZIP code, 5 digits or ZIP+4. Four digits get their leading zero back: spreadsheets
    drop it from Connecticut's 06xxx codes."""
    raw = clean_spaces(value).replace(" ", "")
    if not raw:
        return ""
    if raw.isdigit() and len(raw) in (4, 8):
        raw = "0" + raw
    match = _ZIP.match(raw)
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a ZIP code: use 5 digits, e.g. 06103."),
            code="zip",
            params={"value": value},
        )
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def normalize_email(value: str) -> str:
    """Trimmed and lower-cased (mailboxes are case-insensitive in practice); validated."""
    raw = clean_spaces(value).strip("<>").lower()
    if not raw or (len(raw) <= 320 and _PLAIN_EMAIL.match(raw)):
        return raw
    try:
        validate_email(raw)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not an email address."), code="email", params={"value": value}
        ) from None
    return raw


@lru_cache(maxsize=65536)  # names repeat a lot in a 100k-row import
def name_key(value: str) -> str:
    """A name for comparing: no accents, apostrophes or case, hyphens and dots as spaces, single
    spaces. "  José  O’Brien-Smith " and "jose obrien smith" give the same key."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    text = text.replace("-", " ").replace(".", " ").replace(",", " ")
    return clean_spaces(text).casefold()


def tidy_name(value: str) -> str:
    """A name for storing: spaces cleaned; ALL-CAPS or all-lower names get title case, while
    names someone capitalised on purpose ("McDonald", "de la Cruz") are left alone."""
    text = clean_spaces(value)
    if text and (text.isupper() or text.islower()) and len(text) > 1:
        text = " ".join(
            "-".join(_cap(part) for part in word.split("-")) for word in text.lower().split(" ")
        )
    return text


def _cap(part: str) -> str:
    # O'BRIEN → O'Brien
    for mark in _APOSTROPHES:
        if mark in part:
            head, _sep, tail = part.partition(mark)
            return head.capitalize() + mark + tail.capitalize()
    return part.capitalize()
