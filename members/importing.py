"""Importing people from a CSV: one code path for `manage.py import_people`, the browser preview
and the Celery task.

`plan_import()` reads, validates and matches every row; it writes only through the `writer` it
is given (members.services.people_import gives one inside a transaction), and reports what
happens to each row through `outcomes` (the browser preview stores them as ImportRow).

Two passes over the rows. The first checks every row and notes the keys it could match on
(hashed, and as values); one pass over the people the importer may see then finds those sharing
a key (on PostgreSQL in the database: _found_by_postgresql); the second pass matches and writes
in batches. Namesakes at a ZIP that only rows with an email or a phone look up are counted, not
loaded, when two or more share it (see _Wanted). A file of at most KEEP_ROWS rows is cleaned
once, its rows kept for the second pass; a longer one streams: read and cleaned again, never a
list of its rows, so memory grows with the people it names (a few small fields each), not with
its text.

Matching (issue 11, docs/directory.md), only ever among the people the importer may see and the
file's earlier rows, never merging strangers:
1. same email;
2. else same phone and the same first name, unless both have an email and they differ
   (a spouse on the family phone is a new person);
3. else same first + last name + ZIP, when exactly one person has them and neither a different
   email nor a different phone is on both;
4. a row with no email, phone or ZIP: same first + last name in the same congregation, when
   exactly one person has them (so re-importing a names-only roster changes nothing);
otherwise a new person — flagged as a possible duplicate when someone came close — unless
someone who came close already has everything the row says (re-running the file then changes
nothing). A match fills empty fields and adds memberships and tags; it never overwrites, and a
phone that differs from the one on record is noted on the row, not dropped silently.
"""

import codecs
import csv
import difflib
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import psycopg
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conect.normalize import (
    clean_spaces,
    name_key,
    normalize_email,
    normalize_phone,
    normalize_zip,
    tidy_name,
)
from congregations.models import Congregation, Membership

from .languages import ISO_639_1, own_name
from .models import ImportRow, Language, Person

CONTRACT_HEADER = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "congregation",
    "street",
    "town",
    "zip",
    "language",
    "tags",
]
# Header spellings seen in spreadsheet and CRM exports, compared after header_key().
HEADER_ALIASES = {
    "first_name": ["first", "firstname", "givenname", "forename", "fname", "nombre"],
    "last_name": ["last", "lastname", "surname", "familyname", "lname", "apellido", "apellidos"],
    "email": ["email", "emailaddress", "e-mail", "mail", "primaryemail", "correo"],
    "phone": [
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "cell",
        "cellphone",
        "telephone",
        "tel",
        "homephone",
        "primaryphone",
        "telefono",
        "teléfono",
    ],
    # Not in the contract header: an extension may also ride on the phone ("… ext. 204").
    "phone_extension": ["ext", "extension", "phoneext", "phoneextension", "extensión"],
    "congregation": ["congregation", "congregationname", "church", "parish", "organization"],
    "street": ["street", "address", "streetaddress", "address1", "addressline1", "mailingstreet"],
    "town": ["town", "city", "mailingcity", "municipality", "ciudad"],
    "zip": ["zip", "zipcode", "postalcode", "postcode", "mailingpostalcode", "codigopostal"],
    "language": ["language", "preferredlanguage", "lang", "idioma"],
    "tags": ["tags", "tag", "groups", "labels", "ministries"],
    # Not a contract column: a single name column is split into first and last name.
    "full_name": ["name", "fullname", "contactname", "membername", "nombrecompleto"],
}
FILLABLE = ["last_name", "email", "phone", "phone_extension", "street", "town", "zip"]
_BIT = {name: 1 << i for i, name in enumerate(FILLABLE)}
_SPANISH_AND_OTHER_NAMES = {
    "inglés": "en",
    "ingles": "en",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "portugués": "pt",
    "portugues": "pt",
    "creole": "ht",
    "kreyòl": "ht",
    "kreyol": "ht",
    "criollo haitiano": "ht",
    "árabe": "ar",
    "arabe": "ar",
    "vietnamita": "vi",
    "other": Language.OTHER,
    "otro": Language.OTHER,
}


# Every ISO 639-1 code, its English name and its own name ("vi", "Vietnamese", "tiếng việt").
def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", clean_spaces(text)).casefold()


LANGUAGE_NAMES: dict[str, str] = {
    **{code: code for code in ISO_639_1},
    **{_fold(name): code for code, name in ISO_639_1.items()},
    **{_fold(own_name(code)): code for code in ISO_639_1},
    **{_fold(name): code for name, code in _SPANISH_AND_OTHER_NAMES.items()},
}
MAX_LENGTH: dict[str, int] = {
    name: getattr(Person._meta.get_field(name), "max_length", None) or 0
    for name in ["first_name", "last_name", "email", "street", "town"]
}
MAX_COLUMNS = 200
MAX_ERRORS = 1000  # row errors kept in memory and on the job; every invalid row is counted
PROGRESS_EVERY = 2000
# A file of at most this many rows is cleaned once: the first pass keeps its rows (~1 KB each)
# for the second. A longer one is read and cleaned again, so memory stays flat however long.
KEEP_ROWS = 25_000
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extn\.?|extension|#)\s*:?\s*(\d{1,10})\s*$", re.I)
_BINARY_STARTS = (
    b"PK\x03\x04",  # a zip: .xlsx, .docx, .ods
    b"\xd0\xcf\x11\xe0",  # an old Office file (.xls)
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not text, no header, no first-name column, broken
    quoting). The message names the line where it can."""


def header_key(text: str) -> str:
    return "".join(ch for ch in (text or "").replace("\ufeff", "").lower() if ch not in " _-.")


_ALIAS_TO_FIELD = {
    header_key(alias): name
    for name, aliases in HEADER_ALIASES.items()
    for alias in [name, *aliases]
}


# --- Reading the file ----------------------------------------------------------------------


def _not_csv() -> ImportFileError:
    return ImportFileError(
        _(
            "This is not a CSV text file (it looks like a spreadsheet, a document or an image). "
            "In Excel or Numbers: Save As → CSV."
        )
    )


def _legacy_encoding(data: bytes) -> str:
    """Windows-1252 or Mac Roman, for bytes that are not UTF-8. Accented letters inside words
    are lower-case: count, for each encoding, the bytes after a letter that decode to one."""
    if any(byte in data for byte in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")):
        return "mac_roman"  # bytes Windows-1252 leaves undefined
    scores = dict.fromkeys(("cp1252", "mac_roman"), 0)
    for count, match in enumerate(re.finditer(rb"[A-Za-z]([\x80-\xff])", data)):
        if count > 20000:
            break
        for encoding in scores:
            scores[encoding] += match.group(1).decode(encoding).islower()
    return "mac_roman" if scores["mac_roman"] > scores["cp1252"] else "cp1252"


def decode(data: bytes) -> str:
    """The text of an uploaded file (see utf8_of)."""
    return utf8_of(data).decode("utf-8")


def utf8_of(data: bytes) -> bytes:
    """An uploaded file as UTF-8 bytes with "\\n" line ends: UTF-8 with or without BOM, UTF-16
    with a BOM, else Windows-1252 or Mac Roman (a BOM in front of Windows-1252 bytes is dropped);
    CRLF (Windows) and CR (old Macs) become "\\n". Binary files raise ImportFileError. A UTF-8
    file is checked a megabyte at a time, never held as a str (four bytes a character once one
    emoji is in it)."""
    if data.startswith(_BINARY_STARTS):
        raise _not_csv()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise _not_csv() from None
    if b"\x00" in data:
        raise _not_csv()
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    checker = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            checker.decode(data[start : start + (1 << 20)])
        checker.decode(b"", final=True)
    except UnicodeDecodeError:
        data = data.decode(_legacy_encoding(data), errors="replace").encode("utf-8")
    return data


def _lines(text: str | bytes | bytearray) -> Iterator[str]:
    """The lines of `text` (or of UTF-8 bytes, decoded line by line) one at a time, without a
    second copy of it (io.StringIO would keep four bytes per character)."""
    start, end = 0, len(text)
    newline: Any = "\n" if isinstance(text, str) else b"\n"
    while start < end:
        stop = text.find(newline, start)
        stop = end if stop < 0 else stop + 1
        line = text[start:stop]
        yield line if isinstance(line, str) else line.decode("utf-8", errors="replace")
        start = stop


def _unneutralise(cell: str) -> str:
    """Undo the export's formula neutralisation ('=…, '+1860…), so export → import is lossless."""
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


def _split_full_name(raw: dict) -> dict:
    """ "Ana María Ruiz" → first "Ana María", last "Ruiz", unless first/last columns say."""
    full = clean_spaces(raw.pop("full_name", ""))
    if full and not clean_spaces(raw.get("first_name", "")):
        if "," in full:  # "Ruiz, Ana María"
            last, _sep, first = full.partition(",")
        else:
            first, _sep, last = full.rpartition(" ") if " " in full else (full, "", "")
        raw["first_name"] = first
        if not clean_spaces(raw.get("last_name", "")):
            raw["last_name"] = last
    return raw


def map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → contract field, and the columns that were ignored."""
    mapping: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        name = _ALIAS_TO_FIELD.get(header_key(title))
        if name and name not in mapping.values():
            mapping[index] = name
        elif clean_spaces(title):
            ignored.append(clean_spaces(title)[:60])
    return mapping, ignored


@dataclass
class Header:
    cells: list[str]
    mapping: dict[int, str]
    ignored: list[str]


def read_rows(
    text: str | bytes | bytearray,
) -> tuple[Header, Iterator[tuple[int, dict, list[str]]]]:
    """The header, and (line number, {field: raw value}, the row's cells) per non-empty row.
    ImportFileError for a file without a usable header, and (while iterating) for broken quoting
    or a cell over csv's limit of 131,072 characters."""
    first_line = next(_lines(text[:65536]), "")
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error:
        raise ImportFileError(_("The header line cannot be read as CSV.")) from None
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            _("The header has %(count)d columns; at most %(limit)d are read. Is this a CSV?")
            % {"count": len(header), "limit": MAX_COLUMNS}
        )
    mapping, ignored = map_header(header)
    if "first_name" not in mapping.values() and "full_name" not in mapping.values():
        raise ImportFileError(
            _("The first line has no first-name column. Expected a header like: %(header)s")
            % {"header": ",".join(CONTRACT_HEADER)}
        )

    def rows() -> Iterator[tuple[int, dict, list[str]]]:
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise ImportFileError(
                    _(
                        "Line %(line)d cannot be read: a cell is longer than 131,072 "
                        "characters or a quote is not closed."
                    )
                    % {"line": line}
                ) from None
            cells = [_unneutralise(cell) for cell in cells]
            if any(cell.strip() for cell in cells):
                raw = {name: cells[i] if i < len(cells) else "" for i, name in mapping.items()}
                yield line, _split_full_name(raw), cells
            line = reader.line_num + 1

    return Header(header, mapping, ignored), rows()


def check_file(text: str) -> int:
    """Read the whole file once, as the upload form does before anything is kept: raise
    ImportFileError if it cannot be imported at all; the number of rows otherwise."""
    _header, rows = read_rows(text)
    count = sum(1 for _row in rows)
    if not count:
        raise ImportFileError(_("The file has a header but no rows."))
    return count


# --- Cleaning one row ------------------------------------------------------------------------


_CONGREGATION_NOISE = {"church", "the", "iglesia", "congregation"}


def _loose_congregation_key(text: str) -> str:
    """ "St Marks AME", "St. Mark's AME Church" and "Saint Mark's A.M.E." compare equal."""
    words = ["st" if word == "saint" else word for word in name_key(text).split()]
    return "".join(word for word in words if word not in _CONGREGATION_NOISE)


class CongregationMatcher:
    """A congregation named by slug or name (any case), or by a close spelling that points at
    exactly one of `congregations` (the importer's); else a suggestion among them."""

    def __init__(self, congregations: Iterable[Congregation]):
        self.exact: dict[str, int] = {}
        self.loose: dict[str, int | None] = {}
        self.names: dict[int, str] = {}
        self.cache: dict[str, tuple] = {}
        for congregation in congregations:
            self.names[congregation.pk] = congregation.name
            self.exact[congregation.slug.lower()] = congregation.pk
            self.exact[clean_spaces(congregation.name).casefold()] = congregation.pk
            for text in (congregation.name, congregation.slug.replace("-", " ")):
                key = _loose_congregation_key(text)
                if key:
                    known = self.loose.get(key, congregation.pk)
                    self.loose[key] = congregation.pk if known == congregation.pk else None

    def find(self, text: str) -> tuple[int | None, str, str]:
        """(congregation id or None, "" or "loose" when matched by spelling, a suggestion)."""
        if text not in self.cache:
            self.cache[text] = self._find(text)
        return self.cache[text]

    def _find(self, text: str) -> tuple[int | None, str, str]:
        folded = clean_spaces(text).casefold()
        found = self.exact.get(folded) or self.exact.get(slugify(text))
        if found:
            return found, "", ""
        key = _loose_congregation_key(text)
        if key and self.loose.get(key):
            return self.loose[key], "loose", ""
        close = difflib.get_close_matches(key, [k for k in self.loose if self.loose[k]], 1, 0.75)
        return None, "", self.names[self.loose[close[0]] or 0] if close else ""


def _split_tags(raw: str) -> list[str]:
    if not raw:
        return []
    parts = raw.replace("|", ";").replace(",", ";").split(";")
    return [clean_spaces(part)[:60] for part in parts if clean_spaces(part)]


def split_extension(raw: str) -> tuple[str, str]:
    """ "(860) 555-0123 ext. 204" → ("(860) 555-0123", "204")."""
    match = _EXTENSION.search(raw or "")
    return (raw[: match.start()], match.group(1)) if match else (raw or "", "")


def language_code(raw: str) -> str | None:
    """An ISO 639-1 code from a code ("vi", "pt-BR"), an English, Spanish or own name; None if
    unknown; "en" if empty."""
    text = _fold(raw)
    if not text:
        return Language.ENGLISH
    if text in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[text]
    head = re.split(r"[-_]", text, maxsplit=1)[0]
    return head if head in ISO_639_1 and head != text else None


# Names, ZIPs and languages repeat from row to row: each is cleaned once (a few thousand kept).
_tidy_name = lru_cache(maxsize=8192)(tidy_name)
_normalize_zip = lru_cache(maxsize=4096)(normalize_zip)  # a ValidationError is not kept
_language_code = lru_cache(maxsize=512)(language_code)


@dataclass
class Cleaned:
    values: dict
    congregation_id: int
    tags: list
    notes: list


def clean_row(
    raw: dict, congregations: CongregationMatcher, default_id: int | None
) -> Cleaned | list[str]:
    """The validated values of one row, or its error messages."""
    errors: list[str] = []
    notes: list[str] = []
    values: dict[str, Any] = {
        "first_name": _tidy_name(raw.get("first_name", "")),
        "last_name": _tidy_name(raw.get("last_name", "")),
        "street": clean_spaces(raw.get("street", "")),
        "town": clean_spaces(raw.get("town", "")),
    }
    if not values["first_name"]:
        errors.append(_("first name is missing"))
    phone, extension = split_extension(raw.get("phone", ""))
    extension = clean_spaces(raw.get("phone_extension", "")) or extension
    for name, normalize, value in (
        ("email", normalize_email, raw.get("email", "")),
        ("phone", normalize_phone, phone),
        ("zip", _normalize_zip, raw.get("zip", "")),
    ):
        try:
            values[name] = normalize(value)
        except ValidationError as error:
            errors.append(error.messages[0])
            values[name] = ""
    if extension and not (extension.isdigit() and len(extension) <= 10):
        errors.append(
            _("“%(value)s” is not a phone extension (digits only)") % {"value": extension}
        )
    values["phone_extension"] = extension if values["phone"] else ""
    if extension and not values["phone"] and not errors:
        errors.append(_("a phone extension without a phone number"))
    for name, limit in MAX_LENGTH.items():
        if len(values.get(name, "")) > limit:
            errors.append(
                _("%(field)s is longer than %(limit)d characters") % {"field": name, "limit": limit}
            )
    language = _language_code(raw.get("language", ""))
    if language is None:
        errors.append(_("unknown language “%(value)s”") % {"value": raw.get("language", "")[:60]})
    values["language"] = language or Language.ENGLISH
    text = clean_spaces(raw.get("congregation", ""))
    congregation_id = default_id
    if text:
        congregation_id, how, suggestion = congregations.find(text)
        if congregation_id is None and suggestion:
            errors.append(
                _("unknown congregation “%(value)s”: did you mean “%(suggestion)s”?")
                % {"value": text[:100], "suggestion": suggestion}
            )
        elif congregation_id is None:
            errors.append(
                _("unknown congregation “%(value)s” (use its name or slug)") % {"value": text[:100]}
            )
        elif how == "loose":
            notes.append(
                _("congregation “%(value)s” read as %(name)s")
                % {"value": text[:100], "name": congregations.names[congregation_id]}
            )
    elif congregation_id is None:
        errors.append(_("no congregation: fill the column or choose a default"))
    if errors or congregation_id is None:
        return errors
    return Cleaned(values, congregation_id, _split_tags(raw.get("tags", "")), notes)


# --- Matching --------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class RowOutcome:
    """What happens to one row, for the preview (members.models.ImportRow)."""

    line: int
    name: str
    action: str  # ImportRow.Action
    person_id: int | None = None  # the existing person it matches, or came close to
    same_as_line: int | None = None  # the earlier row of the same (new) person
    reason: str = ""
    detail: str = ""
    cells: list | None = None  # rejected rows only
    number: int | None = None  # the person's number in plan.people (their id once written)


@dataclass
class ImportPlan:
    total_rows: int = 0
    errors: list = field(default_factory=list)  # the first MAX_ERRORS RowErrors
    ignored_columns: list = field(default_factory=list)
    header: list = field(default_factory=list)
    file_error: str = ""
    tally: dict = field(default_factory=dict)  # ImportRow.Action → rows
    people: Any = None  # the _People matched against; people.pid[outcome.number] is an id

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.file_error

    @property
    def counts(self) -> dict:
        tally = self.tally
        new, flagged = tally.get(ImportRow.Action.NEW, 0), tally.get(ImportRow.Action.FLAGGED, 0)
        return {
            "rows": self.total_rows,
            "new": new + flagged,
            "flagged": flagged,
            "matched": tally.get(ImportRow.Action.UPDATE, 0),
            "unchanged": tally.get(ImportRow.Action.UNCHANGED, 0),
            "invalid": tally.get(ImportRow.Action.ERROR, 0) + (1 if self.file_error else 0),
            "people_created": new + flagged,
        }

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        return bool(counts["new"] or counts["matched"])


class Writer(Protocol):
    """What plan_import asks of the database when it writes (members.services). People are
    numbers in `people` (a _People), the same numbers in every call."""

    def start(
        self, people: "_People", tag_names: dict[str, str], new_at_most: int, per_flush: int | None
    ) -> None: ...  # per_flush: rows between flushes that need the connection (None: one)
    def create(self, person: int, values: dict) -> None: ...
    def fill(self, person: int, name: str, value: str) -> None: ...
    def join(self, person: int, congregation_id: int, primary: bool) -> None: ...
    def tag(self, person: int, name: str) -> None: ...
    def flush(self, *, end: bool = True) -> None: ...  # end: the connection is needed


_PRIMARY = 1 << len(FILLABLE)  # in `flags`: has a primary congregation


def _filled(values: dict) -> int:
    return sum(bit for name, bit in _BIT.items() if values.get(name))


@dataclass
class _Keys:
    """A row's or a person's matching keys, hashed (a collision would need 64 equal bits)."""

    first: int
    name: int
    email: int
    phone: int
    zip5: int
    name_zip: int

    @classmethod
    def of(cls, first_name: str, last_name: str, email: str, phone: str, zip_code: str):
        first, last = name_key(first_name), name_key(last_name)
        head = zip_code[:5]
        zip5 = int(head) if head.isascii() and head.isdigit() else 0  # "²".isdigit(), too
        return cls(
            hash(("f", first)),
            hash(("n", first, last)),
            hash(("e", email.lower())) if email else 0,
            hash(("p", phone)) if phone else 0,
            zip5,
            hash(("z", first, last, zip5)) if zip5 and last else 0,
        )

    def index(self) -> list[int]:
        """Every key a person is found by."""
        return [key for key in (self.name, self.email, self.phone, self.name_zip) if key]

    def wanted(self) -> list[int]:
        """The keys a row looks people up by: the name alone only for a row with no email,
        phone or ZIP (so a common name does not load everyone who has it)."""
        keys = [key for key in (self.email, self.phone, self.name_zip) if key]
        return keys if self.email or self.phone or self.zip5 else [self.name]


class _People:
    """Everyone a row may match — the people in the importer's scope who share a key with the
    file, and the new people of earlier rows — column by column in arrays, so that a 150,000-row
    file costs tens of megabytes, not hundreds. A person is their number here."""

    def __init__(self) -> None:
        self.pid = array("q")  # 0: a new person not written yet
        self.line = array("l")  # the row creating them; 0: already in the database
        self.first, self.name = array("q"), array("q")
        self.email, self.phone, self.zip5 = array("q"), array("q"), array("l")
        self.name_zip = array("q")
        self.flags = array("H")  # FILLABLE bits that have a value, and _PRIMARY
        self.congregations: dict[int, tuple] = {}
        self.tags: dict[int, tuple] = {}
        self.index: dict[int, Any] = {}  # hashed key → a number, or a list of numbers
        # Name + ZIP keys that only rows with an email or a phone look up, held by two or more
        # people in the database: how many, and the first one's id. Those people are not here
        # (unless another key of theirs is wanted) and are not linked under the key: such a
        # row can only be told that they came close (see _Wanted).
        self.counted: dict[int, tuple[int, int]] = {}

    def add(self, pid: int, line: int, keys: _Keys, flags: int) -> int:
        number = len(self.pid)
        self.pid.append(pid)
        self.line.append(line)
        self.first.append(keys.first)
        self.name.append(keys.name)
        self.email.append(keys.email)
        self.phone.append(keys.phone)
        self.zip5.append(keys.zip5)
        self.name_zip.append(keys.name_zip)
        self.flags.append(flags)
        for key in keys.index():
            if line or key != keys.name_zip or key not in self.counted:
                self.link(key, number)
        return number

    def link(self, key: int, number: int) -> None:
        there = self.index.get(key)
        if there is None:
            self.index[key] = number
        elif isinstance(there, list):
            if number not in there:
                there.append(number)
        elif there != number:
            self.index[key] = [there, number]

    def get(self, key: int) -> list[int]:
        there = self.index.get(key) if key else None
        return [] if there is None else there if isinstance(there, list) else [there]

    def conflicts(self, number: int, keys: _Keys) -> bool:
        """Both have an email, or both a phone, and they differ: two different people."""
        email, phone = self.email[number], self.phone[number]
        return bool(
            (keys.email and email and keys.email != email)
            or (keys.phone and phone and keys.phone != phone)
        )

    def changes(self, number: int, row: Cleaned) -> tuple[list[str], bool, list[str]]:
        """What matching `row` to person `number` would add: fields, a membership, tags."""
        values, flags = row.values, self.flags[number]
        fills = [
            name
            for name in FILLABLE
            if name != "phone_extension" and values.get(name) and not flags & _BIT[name]
        ]
        if (
            values["phone_extension"]
            and not flags & _BIT["phone_extension"]
            and (self.phone[number] == hash(("p", values["phone"])) or "phone" in fills)
        ):
            fills.append("phone_extension")
        have = self.tags.get(number, ())
        tags = [tag for tag in dict.fromkeys(t.lower() for t in row.tags) if tag not in have]
        joins = row.congregation_id not in self.congregations.get(number, ())
        return fills, joins, tags

    def match(self, row: Cleaned, keys: _Keys) -> tuple[int | None, str, tuple[int, int] | None]:
        """(the person, why, None) or (None, why not, the id and line of the first person who
        came close, if anyone did)."""
        for number in self.get(keys.email):
            if self.email[number] == keys.email:
                return number, "email", None
        sharing = [n for n in self.get(keys.phone) if self.phone[n] == keys.phone]
        for number in sharing:
            if self.first[number] == keys.first and not (
                keys.email and self.email[number] and self.email[number] != keys.email
            ):
                return number, "phone", None
        near: list[int] = list(sharing)
        held = self.counted.get(keys.name_zip) if keys.name_zip else None
        elsewhere = 0  # namesakes at the ZIP who are only counted, not loaded
        if keys.name_zip:
            same = [
                n
                for n in self.get(keys.name_zip)
                if self.name[n] == keys.name and self.zip5[n] == keys.zip5
            ]
            if held:  # two or more in the database: never a match, all of them came close
                elsewhere = held[0] - sum(
                    1 for n in sharing if not self.line[n] and self.name_zip[n] == keys.name_zip
                )
            elif len(same) == 1 and not self.conflicts(same[0], keys):
                return same[0], "name_zip", None
            near += same
        elif not (keys.email or keys.phone or keys.zip5):
            cid = row.congregation_id
            same = [
                n
                for n in self.get(keys.name)
                if self.name[n] == keys.name and cid in self.congregations.get(n, ())
            ]
            if len(same) == 1:
                return same[0], "name", None
            near += same
        near = list(dict.fromkeys(near))
        # Someone of this name who came close already has all the row says: no change. (Never
        # one of the counted namesakes: they are counted only for rows with an email or a phone,
        # and such a person would have that email or phone, so would have matched above.)
        for number in near:
            if self.name[number] != keys.name:
                continue
            fills, joins, tags = self.changes(number, row)
            if not (fills or joins or tags or self.conflicts(number, keys)):
                return number, "same", None
        if not near and not held:
            return None, "", None
        # The database's namesakes come before the file's.
        close = (held[1], 0) if held and not sharing else (self.pid[near[0]], self.line[near[0]])
        if any(self.first[n] != keys.first for n in sharing):
            return None, "phone_other_name", close
        return None, "ambiguous" if len(near) + elsewhere > 1 else "conflict", close


# --- The two passes --------------------------------------------------------------------------


class _Wanted:
    """The keys the file's rows look people up by: hashed (to test a person against) and, for
    the database to find them, as values: lower-case emails, phones, (first name key, last name
    key, ZIP) and, for rows with none of those, (first, last).

    A name + ZIP key is `counted` when every row looking it up has an email or a phone: if two
    or more people have it, such a row cannot match any of them (rule 3 needs exactly one) and
    none of them can be "already there" (they would have its email or phone and have matched
    by it), so the row only needs to know how many there are and who is first."""

    def __init__(self) -> None:
        self.hashes: set[int] = set()
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        # hashed name + ZIP key → (first name key, last name key, ZIP, counted)
        self.name_zips: dict[int, tuple[str, str, int, bool]] = {}
        self.names: set[tuple[str, str]] = set()
        self.network_names: list[str] | None = None  # if asked for ahead (_names_asked)

    def add(self, row: "Cleaned", keys: _Keys) -> None:
        self.hashes.update(keys.wanted())
        values = row.values
        first, last = name_key(values["first_name"]), name_key(values["last_name"])
        if keys.email:
            self.emails.add(values["email"].lower())
        if keys.phone:
            self.phones.add(values["phone"])
        if keys.name_zip:
            known = self.name_zips.get(keys.name_zip)
            counted = bool(keys.email or keys.phone) and (known is None or known[3])
            self.name_zips[keys.name_zip] = (first, last, keys.zip5, counted)
        if not (keys.email or keys.phone or keys.zip5):
            self.names.add((first, last))

    def counted(self) -> set[int]:
        return {key for key, (*_key, counted) in self.name_zips.items() if counted}


_PERSON_COLUMNS = ["id", "first_name", *FILLABLE]

# One pass over the people in scope (PostgreSQL), each test a hashed lookup into the file's
# values (arrays, so the pass can run in parallel): who shares an email (any case), a phone
# or, for a row with none of those, a name with the file ("keyed"), and who has a name and ZIP
# the file wants, grouped by them: ids only, most are only counted. Name and ZIP are looked
# up as one text, "whole", as the network spells the names, with each ZIP as the first five
# characters of every spelling of its number ("6103", "06103"): a superset, keyed exactly
# afterwards. Emails are compared as stored: the few people whose stored email has a capital
# are found apart (_FOLDED_SQL), by index, instead of lower-casing every email in the pass.
_SCAN_SQL = """
    SELECT first_name, last_name, left(zip, 5), array_agg(id), array_agg(id) FILTER (WHERE keyed)
    FROM (
        SELECT p.id, p.first_name, p.last_name, p.zip,
               p.email = ANY(%s)
               OR p.phone = ANY(%s)
               {names} AS keyed
        FROM members_person p
        {scope}
    ) hit
    WHERE keyed OR first_name || chr(31) || last_name || chr(31) || left(zip, 5) = ANY(%s)
    GROUP BY 1, 2, 3
"""
_NAMES_SQL = "OR p.first_name || chr(31) || p.last_name = ANY(%s)"  # for names-only rows
# person_email_folded_idx (members migration 0022) holds lower(email) of just those people.
_FOLDED_SQL = (
    "SELECT id FROM members_person p WHERE email <> lower(email) AND lower(email) = ANY(%s)"
)
_IN_SCOPE_SQL = "SELECT id FROM members_person p {scope} AND p.id = ANY(%s)"
_LOADED_SQL = """
    SELECT id, first_name, last_name, email, phone, phone_extension, street, town, zip
    FROM members_person WHERE id = ANY(%s) ORDER BY id
"""  # _PERSON_COLUMNS


# The network's spellings of names, first and last alike, each column by a hash aggregate.
_NAMES_IN_NETWORK_SQL = (
    "SELECT first_name FROM members_person GROUP BY first_name "
    "UNION SELECT last_name FROM members_person GROUP BY last_name"
)


@contextmanager
def _names_asked(*, ahead: bool) -> Iterator[Callable[[], list[str] | None]]:
    """The network's spellings of names (PostgreSQL), for after the block. With `ahead`, asked
    before it runs and answered while it does (a psycopg pipeline: nothing else may use the
    connection in the block); else asked when wanted (None: _spellings asks)."""
    if connection.vendor != "postgresql" or not ahead:
        yield lambda: None
        return
    connection.ensure_connection()
    raw = connection.connection
    cursor = psycopg.Cursor(raw)
    with raw.pipeline():
        cursor.execute(_NAMES_IN_NETWORK_SQL)
        yield lambda: [name for (name,) in cursor.fetchall()]


def _spellings(cursor, keys: set[str], names: list[str] | None) -> dict[str, list[str]]:
    """Each name key → the network's spellings of it (first and last names alike)."""
    spellings: dict[str, list[str]] = {}
    if keys:
        if names is None:
            cursor.execute(_NAMES_IN_NETWORK_SQL)
            names = [name for (name,) in cursor.fetchall()]
        for raw in names:
            key = name_key(raw)
            if key in keys:
                spellings.setdefault(key, []).append(raw)
    return spellings


def _zip_heads(zip5: int) -> list[str]:
    """The first five characters of the ZIPs _Keys reads as `zip5`: 6103 → "6103", "06103"."""
    digits = str(zip5)
    return [digits.zfill(width) for width in range(len(digits), 6)]


def _lookups(cursor, wanted: _Wanted) -> dict[str, list[str]]:
    """_SCAN_SQL's arrays: the file's emails, phones, and names (with ZIPs) as spelt."""
    keys = {key for first, last, _z, _c in wanted.name_zips.values() for key in (first, last)}
    keys |= {key for pair in wanted.names for key in pair}
    spelt = _spellings(cursor, keys, wanted.network_names)
    return {
        "emails": list(wanted.emails),
        "phones": list(wanted.phones),
        "names": [
            f"{first}\x1f{last}"
            for first_key, last_key in wanted.names
            for first in spelt.get(first_key, ())
            for last in spelt.get(last_key, ())
        ],
        "wholes": [
            f"{first}\x1f{last}\x1f{head}"
            for first_key, last_key, zip5, _counted in wanted.name_zips.values()
            for first in spelt.get(first_key, ())
            for last in spelt.get(last_key, ())
            for head in _zip_heads(zip5)
        ],
    }


def _found_by_postgresql(scope, wanted: _Wanted) -> tuple[list, dict[int, tuple[int, int]]]:
    """The people of `scope` to load, in id order, and the counted keys' (number, first id):
    one pass over people, then the few to load by id."""
    buckets: dict[int, list[int]] = {}
    load: set[int] = set()
    with connection.cursor() as cursor:
        values = _lookups(cursor, wanted)
        where, scope_params = "", ()
        if scope.query.where:
            sql, scope_params = scope.order_by().values("pk").query.sql_with_params()
            where = f"WHERE p.id IN ({sql})"
        emails, names = values["emails"], values["names"]
        # For the rest of the import's transaction: no JIT (compiling the plan took longer than
        # running it) and room to sort the namesakes in memory (at 1M people 20,000 rows find
        # ~150,000, which spilled to disk at the default 4 MB). One statement, with _folded's.
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('jit', 'off', true), "
            "set_config('work_mem', '64MB', true), set_config('enable_seqscan', 'off', true)"
        )
        seqscan = cursor.fetchone()[0]
        load.update(_folded(cursor, emails, where, scope_params, seqscan))
        params = [emails, values["phones"], *([names] if names else []), *scope_params]
        sql = _SCAN_SQL.format(scope=where, names=_NAMES_SQL if names else "")
        cursor.execute(sql, [*params, values["wholes"]])
        found = cursor.fetchall()
        for first, last, head, ids, keyed in found:
            if keyed:
                load.update(keyed)
            key = _Keys.of(first, last, "", "", head).name_zip
            if key in wanted.name_zips:
                buckets.setdefault(key, []).extend(ids)
        counted = {
            key: (len(ids), min(ids))
            for key, ids in buckets.items()
            if len(ids) > 1 and wanted.name_zips[key][3]
        }
        for key, ids in buckets.items():
            if key not in counted:
                load.update(ids)
        cursor.execute(_LOADED_SQL, [sorted(load)])
        return cursor.fetchall(), counted


def _folded(cursor, emails: list[str], where: str, scope_params, seqscan: str) -> list[int]:
    """The people of the scope whose stored email has a capital and, lower-cased, is one of
    the file's. The planner cannot tell that few people have such an email (it guesses nearly
    all) and would read the whole table: sequential scans are off when this is called, and
    turned back to `seqscan` before it returns (the pass over people must scan)."""
    ids: list[int] = []
    if emails:
        cursor.execute(_FOLDED_SQL, [emails])
        ids = [pk for (pk,) in cursor.fetchall()]
    cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
    if ids and where:  # rare: then keep those the importer may see
        cursor.execute(_IN_SCOPE_SQL.format(scope=where), [*scope_params, ids])
        ids = [pk for (pk,) in cursor.fetchall()]
    return ids


def _found_by_reading(scope, wanted: _Wanted) -> tuple[list, dict[int, tuple[int, int]]]:
    """The same as _found_by_postgresql, reading every person of `scope` (SQLite)."""
    counted_keys = wanted.counted()
    hits: list[tuple[tuple, _Keys]] = []
    held: dict[int, list[int]] = {}  # counted key → the ids having it
    rows = scope.order_by("id").values_list(*_PERSON_COLUMNS)
    for row in rows.iterator(chunk_size=5000):
        keys = _person_keys(row)
        if wanted.hashes.isdisjoint(keys.index()):
            continue
        hits.append((row, keys))
        if keys.name_zip in counted_keys:
            held.setdefault(keys.name_zip, []).append(row[0])
    counted = {key: (len(ids), min(ids)) for key, ids in held.items() if len(ids) > 1}
    keyed = wanted.hashes.intersection
    return [
        row
        for row, keys in hits
        if keys.name_zip not in counted or keyed([keys.email, keys.phone, keys.name])
    ], counted


def _id_array(ids: list[int]):
    """ids as one array parameter (PostgreSQL): an IN list of thousands of placeholders cost
    more to build and send than the query took."""
    from django.db.models.expressions import RawSQL  # reason: only this query needs it

    return RawSQL("SELECT unnest(%s::bigint[])", [ids])  # noqa: S611 (constant SQL)


def _person_keys(row: tuple) -> _Keys:
    """The keys of a person read as _PERSON_COLUMNS."""
    return _Keys.of(row[1], row[2], row[3], row[4], row[8])


def _people_in(scope, wanted: _Wanted) -> _People:
    """The people of `scope` (whom the importer may see) sharing a key with the file, with
    their memberships and tags, except those only counted (see _Wanted)."""
    people = _People()
    found: dict[int, int] = {}
    on_postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        if on_postgresql:
            rows, people.counted = _found_by_postgresql(scope, wanted)
        else:
            rows, people.counted = _found_by_reading(scope, wanted)
        for row in rows:
            keys = _person_keys(row)
            if not wanted.hashes.isdisjoint(keys.index()):
                values = dict(zip(_PERSON_COLUMNS, row, strict=True))
                found[row[0]] = people.add(row[0], 0, keys, _filled(values))
        del rows
        if found:
            _memberships_and_tags(scope, people, found)
    return people


def _memberships_and_tags(scope, people: _People, found: dict[int, int]) -> None:
    """Memberships and tags of the people found: on PostgreSQL their ids as one array; else by
    id, 5,000 at a time, when they are few, or two streamed queries over the whole scope."""
    if connection.vendor == "postgresql":
        chunks = [{"person_id__in": _id_array(list(found))}]
    elif len(found) <= 20_000:
        ids = list(found)
        chunks = [{"person_id__in": ids[i : i + 5000]} for i in range(0, len(ids), 5000)]
    else:
        chunks = [{"person_id__in": scope.order_by().values("pk")}]
    for where in chunks:
        memberships = Membership.objects.filter(**where).values_list(
            "person_id", "congregation_id", "is_primary"
        )
        for person_id, congregation_id, is_primary in memberships.iterator(chunk_size=10_000):
            number = found.get(person_id)
            if number is not None:
                people.congregations[number] = (
                    *people.congregations.get(number, ()),
                    congregation_id,
                )
                if is_primary:
                    people.flags[number] |= _PRIMARY
        tags = Person.tags.through.objects.filter(**where).values_list("person_id", "tag__name")
        for person_id, name in tags.iterator(chunk_size=10_000):
            number = found.get(person_id)
            if number is not None:
                people.tags[number] = (*people.tags.get(number, ()), name.lower())


def _row_keys(row: Cleaned) -> _Keys:
    values = row.values
    return _Keys.of(
        values["first_name"], values["last_name"], values["email"], values["phone"], values["zip"]
    )


def _first_pass(
    rows, plan, wanted, congregation_of, default_id, progress, kept: list | None
) -> tuple[dict[str, str], list | None]:
    """Check every row, count the invalid ones and note the valid ones' keys in `wanted`;
    the tags the file names (lower-case → as first spelt), and the rows as the second pass
    takes them (line, raw, cells, cleaned) if there are at most KEEP_ROWS (else None). A valid
    row is kept without its raw cells: only a rejected row shows them."""
    tag_names: dict[str, str] = {}
    for line, raw, cells in rows:
        plan.total_rows += 1
        row = clean_row(raw, congregation_of, default_id)
        if kept is not None:
            if plan.total_rows > KEEP_ROWS:
                kept = None
            else:
                kept.append(
                    (line, raw, cells, row) if isinstance(row, list) else (line, None, None, row)
                )
        if isinstance(row, list):
            if len(plan.errors) < MAX_ERRORS:
                plan.errors += [RowError(line, message) for message in row]
            plan.tally["error"] = plan.tally.get("error", 0) + 1
            continue
        wanted.add(row, _row_keys(row))
        for tag in row.tags:
            tag_names.setdefault(tag.lower(), tag)
        if progress and plan.total_rows % PROGRESS_EVERY == 0:
            progress(plan.total_rows // 2, 0)
    return tag_names, kept


def _read_again(text, congregation_of, default_id) -> Iterator[tuple]:
    """The rows as _first_pass keeps them, read and cleaned again (a file over KEEP_ROWS)."""
    _header, rows = read_rows(text)
    for line, raw, cells in rows:
        yield line, raw, cells, clean_row(raw, congregation_of, default_id)


def plan_import(
    text: str | bytes | bytearray,
    *,
    congregations: Iterable[Congregation],
    people=None,
    default_congregation: Congregation | None = None,
    progress: Callable[[int, int], None] | None = None,
    outcomes: Callable[[RowOutcome], None] | None = None,
    writer: Writer | None = None,
    skip_invalid: bool = False,
) -> ImportPlan:
    """Read, validate and match every row of `text` (decoded, or UTF-8 bytes: half the memory
    of a str with accents). `congregations`: the ones the importing user may put people in;
    `people`: the ones they may see (matching never looks further; everyone when None). Rows are
    written through `writer` if given — none if a row is invalid, unless `skip_invalid` — and
    reported one by one to `outcomes`."""
    plan = ImportPlan()
    congregation_of = CongregationMatcher(congregations)
    default_id = default_congregation.pk if default_congregation else None
    wanted = _Wanted()
    try:
        with _names_asked(ahead=progress is None) as names:  # answered while pass 1 runs
            header, rows = read_rows(text)
            tag_names, kept = _first_pass(
                rows, plan, wanted, congregation_of, default_id, progress, kept=[]
            )
    except ImportFileError as error:
        plan.file_error = str(error)
        plan.errors.append(RowError(1, plan.file_error))
        return plan
    wanted.network_names = names()
    plan.header, plan.ignored_columns = header.cells[:MAX_COLUMNS], header.ignored[:50]
    total = plan.total_rows
    if progress:
        progress(total // 2, total)
    if writer is not None and plan.errors and not skip_invalid:
        return plan  # all or nothing
    matcher = _people_in(Person.objects.all() if people is None else people, wanted)
    del wanted
    valid = total - plan.tally.get("error", 0)
    plan.tally = {}
    if writer is not None:
        writer.start(matcher, tag_names, valid, PROGRESS_EVERY if progress else None)
    second = kept if kept is not None else _read_again(text, congregation_of, default_id)
    del kept
    for done, (line, raw, cells, row) in enumerate(second, 1):
        outcome = _one_row(line, raw, cells, row, matcher, writer)
        plan.tally[outcome.action] = plan.tally.get(outcome.action, 0) + 1
        if outcomes:
            outcomes(outcome)
        if done % PROGRESS_EVERY == 0:
            if writer is not None:  # a progress report needs the connection
                writer.flush(end=progress is not None)
            if progress:
                progress(total // 2 + done // 2, total)
    if writer is not None:
        writer.flush()
    if progress:
        progress(total, total)
    plan.people = matcher
    return plan


def _display_name(raw: dict | None, row: Cleaned | list) -> str:
    if isinstance(row, Cleaned):
        first, last = row.values["first_name"], row.values["last_name"]
    else:
        first = clean_spaces((raw or {}).get("first_name", ""))
        last = clean_spaces((raw or {}).get("last_name", ""))
    return f"{first[:100]} {last[:100]}".strip()


def _one_row(
    line: int,
    raw: dict | None,  # None for a valid row (only a rejected row shows its raw cells)
    cells: list[str] | None,
    row: Cleaned | list[str],
    people: _People,
    writer: Writer | None,
) -> RowOutcome:
    """Match one cleaned row, apply it to `people` (and to the writer), and say what happens
    to it."""
    name = _display_name(raw, row)
    if isinstance(row, list):
        return RowOutcome(line, name, ImportRow.Action.ERROR, detail="; ".join(row), cells=cells)
    values, keys = row.values, _row_keys(row)
    number, reason, close = people.match(row, keys)
    notes = list(row.notes)
    if number is None:
        number = people.add(0, line, keys, _filled(values) | _PRIMARY)
        people.congregations[number] = (row.congregation_id,)
        new_tags = tuple(dict.fromkeys(tag.lower() for tag in row.tags))
        if new_tags:
            people.tags[number] = new_tags
        if writer is not None:
            writer.create(number, values)
            writer.join(number, row.congregation_id, True)
            for tag in new_tags:
                writer.tag(number, tag)
        return RowOutcome(
            line,
            name,
            ImportRow.Action.FLAGGED if close else ImportRow.Action.NEW,
            person_id=close[0] or None if close else None,
            same_as_line=close[1] or None if close else None,
            reason=reason,
            detail="; ".join(notes),
            number=number,
        )
    fills, joins, tags = people.changes(number, row)
    if keys.phone and people.phone[number] and keys.phone != people.phone[number]:
        notes.append(
            _("the phone in the file, %(phone)s, differs from the one on record: not changed")
            % {"phone": values["phone"]}
        )
    for field_name in fills:
        people.flags[number] |= _BIT[field_name]
        if writer is not None:
            writer.fill(number, field_name, values[field_name])
    if "email" in fills:
        people.email[number] = keys.email
        people.link(keys.email, number)
    if "phone" in fills:
        people.phone[number] = keys.phone
        people.link(keys.phone, number)
    if "zip" in fills:
        people.zip5[number] = keys.zip5
    if joins:
        if writer is not None:
            writer.join(number, row.congregation_id, not people.flags[number] & _PRIMARY)
        people.congregations[number] = (
            *people.congregations.get(number, ()),
            row.congregation_id,
        )
        people.flags[number] |= _PRIMARY
    for tag in tags:
        if writer is not None:
            writer.tag(number, tag)
    if tags:
        people.tags[number] = (*people.tags.get(number, ()), *tags)
    changed = bool(fills or joins or tags)
    return RowOutcome(
        line,
        name,
        ImportRow.Action.UPDATE if changed else ImportRow.Action.UNCHANGED,
        person_id=None if people.line[number] else people.pid[number],
        same_as_line=people.line[number] or None,
        reason=reason,
        detail="; ".join(notes),
        number=number,
    )
