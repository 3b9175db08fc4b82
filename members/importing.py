"""Importing people from a CSV: one code path for `manage.py import_people`, the browser preview
and the Celery task.

`plan_import()` reads, validates and matches every row without writing; `people_import()` in
services.py re-plans inside a transaction and writes the plan with bulk operations. Matching
(DESIGN rule): the same person is never created twice — same email (case-insensitive), or same
phone + same last name, or same first + last name + ZIP — within the file and against the whole
database; a row with none of email, phone or ZIP matches on first + last name + congregation so
that re-importing it stays idempotent. A match fills empty fields only and adds memberships and
tags; it never overwrites data already there.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
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

from .models import Language, Person

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
    "congregation": ["congregation", "congregationname", "church", "parish", "organization"],
    "street": ["street", "address", "streetaddress", "address1", "addressline1", "mailingstreet"],
    "town": ["town", "city", "mailingcity", "municipality", "ciudad"],
    "zip": ["zip", "zipcode", "postalcode", "postcode", "mailingpostalcode", "codigopostal"],
    "language": ["language", "preferredlanguage", "lang", "idioma"],
    "tags": ["tags", "tag", "groups", "labels", "ministries"],
    # Not a contract column: a single name column is split into first and last name.
    "full_name": ["name", "fullname", "contactname", "membername", "nombrecompleto"],
}
FILLABLE = ["last_name", "email", "phone", "street", "town", "zip"]
LANGUAGE_NAMES = {
    "en": Language.ENGLISH,
    "english": Language.ENGLISH,
    "inglés": Language.ENGLISH,
    "ingles": Language.ENGLISH,
    "es": Language.SPANISH,
    "spanish": Language.SPANISH,
    "español": Language.SPANISH,
    "espanol": Language.SPANISH,
    "pt": Language.PORTUGUESE,
    "portuguese": Language.PORTUGUESE,
    "português": Language.PORTUGUESE,
    "portugues": Language.PORTUGUESE,
    "ht": Language.HAITIAN_CREOLE,
    "haitian creole": Language.HAITIAN_CREOLE,
    "creole": Language.HAITIAN_CREOLE,
    "kreyòl": Language.HAITIAN_CREOLE,
    "kreyol": Language.HAITIAN_CREOLE,
    "pa": Language.PUNJABI,
    "punjabi": Language.PUNJABI,
    "ar": Language.ARABIC,
    "arabic": Language.ARABIC,
    "other": Language.OTHER,
}
MAX_LENGTH: dict[str, int] = {
    name: getattr(Person._meta.get_field(name), "max_length", None) or 0
    for name in ["first_name", "last_name", "email", "street", "town"]
}
PROGRESS_EVERY = 2000
SAMPLE = 10  # rows shown in the browser preview


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, no header, no first-name column)."""


def header_key(text: str) -> str:
    return "".join(ch for ch in (text or "").replace("\ufeff", "").lower() if ch not in " _-.")


_ALIAS_TO_FIELD = {
    header_key(alias): name
    for name, aliases in HEADER_ALIASES.items()
    for alias in [name, *aliases]
}


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252 (Excel's "CSV" on Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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
            ignored.append(clean_spaces(title))
    return mapping, ignored


def read_rows(text: str) -> tuple[dict[int, str], list[str], Iterator[tuple[int, dict]]]:
    """The header mapping, the ignored columns, and (line number, {field: raw value}) per row."""
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    mapping, ignored = map_header(header)
    if "first_name" not in mapping.values() and "full_name" not in mapping.values():
        raise ImportFileError(
            _("Line 1: no first-name column. Expected a header like: %(header)s")
            % {"header": ",".join(CONTRACT_HEADER)}
        )

    def rows() -> Iterator[tuple[int, dict]]:
        line = reader.line_num + 1
        for cells in reader:
            cells = [_unneutralise(cell) for cell in cells]
            if any(cell.strip() for cell in cells):
                raw = {name: cells[i] if i < len(cells) else "" for i, name in mapping.items()}
                yield line, _split_full_name(raw)
            line = reader.line_num + 1

    return mapping, ignored, rows()


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class Entity:
    """One person the import will create or touch; rows that match it fold into it."""

    person_id: int | None  # None: a new person
    values: dict  # the person's field values as they will be written
    congregation_ids: list = field(default_factory=list)  # to add; first becomes primary if new
    tags: list = field(default_factory=list)  # lower-cased tag name → display name, to add
    changed: set = field(default_factory=set)  # fields filled on an existing person
    lines: list = field(default_factory=list)


@dataclass
class ImportPlan:
    total_rows: int = 0
    entities: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    row_outcome: dict = field(default_factory=dict)  # line → "new" | "matched" | "unchanged"
    tag_names: dict = field(default_factory=dict)  # lower → display
    names: dict = field(default_factory=dict)  # line → "First Last", the first SAMPLE rows

    def sample(self) -> list[list]:
        """[line, name, outcome] for the first rows, for the preview."""
        return [[line, name, self.row_outcome.get(line, "")] for line, name in self.names.items()]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict:
        outcomes = list(self.row_outcome.values())
        return {
            "rows": self.total_rows,
            "new": outcomes.count("new"),
            "matched": outcomes.count("matched"),
            "unchanged": outcomes.count("unchanged"),
            "invalid": len({error.line for error in self.errors if error.line > 1}),
            "people_created": sum(1 for e in self.entities if e.person_id is None),
        }

    @property
    def has_changes(self) -> bool:
        return any(outcome != "unchanged" for outcome in self.row_outcome.values())


def _congregation_lookup(congregations: Iterable[Congregation]) -> dict[str, int]:
    lookup = {}
    for congregation in congregations:
        lookup[congregation.slug.lower()] = congregation.pk
        lookup[clean_spaces(congregation.name).casefold()] = congregation.pk
    return lookup


def _split_tags(raw: str) -> list[str]:
    parts = raw.replace("|", ";").replace(",", ";").split(";")
    return [clean_spaces(part)[:60] for part in parts if clean_spaces(part)]


def _clean_row(line: int, raw: dict, congregations: dict, default_id: int | None, errors: list):
    """Validated values of one row, or None after adding its errors."""
    found = len(errors)
    values = {}
    for name in ("first_name", "last_name"):
        values[name] = tidy_name(raw.get(name, ""))
    values["street"] = clean_spaces(raw.get("street", ""))
    values["town"] = clean_spaces(raw.get("town", ""))
    if not values["first_name"]:
        errors.append(RowError(line, _("first name is missing")))
    for name, normalize in (
        ("email", normalize_email),
        ("phone", normalize_phone),
        ("zip", normalize_zip),
    ):
        try:
            values[name] = normalize(raw.get(name, ""))
        except ValidationError as error:
            errors.append(RowError(line, error.messages[0]))
    for name, limit in MAX_LENGTH.items():
        if len(values.get(name, "")) > limit:
            errors.append(
                RowError(
                    line,
                    _("%(field)s is longer than %(limit)d characters")
                    % {"field": name, "limit": limit},
                )
            )
    language = clean_spaces(raw.get("language", "")).casefold()
    if language and language not in LANGUAGE_NAMES:
        errors.append(
            RowError(line, _("unknown language “%(value)s”") % {"value": raw.get("language")})
        )
    values["language"] = LANGUAGE_NAMES.get(language, Language.ENGLISH)
    congregation_text = clean_spaces(raw.get("congregation", "")).casefold()
    congregation_id = congregations.get(congregation_text) if congregation_text else default_id
    if congregation_text and congregation_id is None:
        errors.append(
            RowError(
                line,
                _("unknown congregation “%(value)s” (use its name or slug)")
                % {"value": raw.get("congregation")},
            )
        )
    elif congregation_id is None:
        errors.append(RowError(line, _("no congregation: fill the column or choose a default")))
    if len(errors) > found:
        return None
    return values, congregation_id, _split_tags(raw.get("tags", ""))


def _match_keys(values: dict, congregation_id: int | None) -> list[tuple]:
    first, last = name_key(values["first_name"]), name_key(values.get("last_name", ""))
    keys: list[tuple] = []
    if values.get("email"):
        keys.append(("email", values["email"].lower()))
    if values.get("phone") and last:
        keys.append(("phone", values["phone"], last))
    if values.get("zip") and first and last:
        keys.append(("name_zip", first, last, values["zip"][:5]))
    if not (values.get("email") or values.get("phone") or values.get("zip")) and congregation_id:
        keys.append(("name_congregation", first, last, congregation_id))
    return keys


def _existing_people_index(want: set) -> tuple[dict, dict]:
    """Key → person id for every person in the database (archived too: an archived person is
    still the same person), and id → current values. One streamed query."""
    index: dict[tuple, int] = {}
    values_by_id: dict[int, dict] = {}
    primary = dict(
        Membership.objects.filter(is_primary=True).values_list("person_id", "congregation_id")
    )
    columns = ["id", "first_name", *FILLABLE]
    for row in Person.objects.order_by("id").values_list(*columns).iterator(chunk_size=5000):
        values = dict(zip(columns, row, strict=True))
        for key in _match_keys(values, primary.get(values["id"])):
            if key in want:
                index.setdefault(key, values["id"])
                values_by_id[values["id"]] = values
    return index, values_by_id


def _existing_links(person_ids: list[int]) -> tuple[dict, set, dict]:
    """For matched people: their congregations, who has a primary one, their tags (lower)."""
    memberships: dict[int, set] = {}
    has_primary: set[int] = set()
    tags: dict[int, set] = {}
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        for person_id, congregation_id, is_primary in Membership.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "congregation_id", "is_primary"):
            memberships.setdefault(person_id, set()).add(congregation_id)
            if is_primary:
                has_primary.add(person_id)
        for person_id, name in Person.tags.through.objects.filter(person_id__in=chunk).values_list(
            "person_id", "tag__name"
        ):
            tags.setdefault(person_id, set()).add(name.lower())
    return memberships, has_primary, tags


def plan_import(
    text: str,
    *,
    congregations: Iterable[Congregation],
    default_congregation: Congregation | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Read, validate and match every row of `text`; write nothing. `congregations` are the ones
    the importing user may put people in."""
    plan = ImportPlan()
    try:
        _mapping, plan.ignored_columns, rows = read_rows(text)
    except ImportFileError as error:
        plan.errors.append(RowError(1, str(error)))
        return plan
    lookup = _congregation_lookup(congregations)
    default_id = default_congregation.pk if default_congregation else None
    cleaned = []
    for line, raw in rows:
        plan.total_rows += 1
        row = _clean_row(line, raw, lookup, default_id, plan.errors)
        if row is not None:
            cleaned.append((line, *row))
        if progress and plan.total_rows % PROGRESS_EVERY == 0:
            progress(plan.total_rows // 2, 0)
    total = plan.total_rows
    if progress:
        progress(total // 2, total)

    wanted = {key for _line, values, cid, _tags in cleaned for key in _match_keys(values, cid)}
    existing, existing_values = _existing_people_index(wanted)
    by_key: dict[tuple, Entity] = {}
    by_person: dict[int, Entity] = {}
    for done, (line, values, congregation_id, tags) in enumerate(cleaned, 1):
        keys = _match_keys(values, congregation_id)
        entity = next((by_key[key] for key in keys if key in by_key), None)
        if entity is None:
            person_id = next((existing[key] for key in keys if key in existing), None)
            if person_id is not None:
                entity = by_person.get(person_id)
                if entity is None:
                    entity = Entity(person_id=person_id, values=dict(existing_values[person_id]))
                    by_person[person_id] = entity
                    plan.entities.append(entity)
        outcome = "matched"
        if entity is None:
            entity = Entity(person_id=None, values=dict(values))
            plan.entities.append(entity)
            outcome = "new"
        else:
            for name in FILLABLE:
                if values.get(name) and not entity.values.get(name):
                    entity.values[name] = values[name]
                    entity.changed.add(name)
        for key in _match_keys(entity.values, congregation_id) + keys:
            by_key.setdefault(key, entity)
        if congregation_id not in entity.congregation_ids:
            entity.congregation_ids.append(congregation_id)
        for tag in tags:
            plan.tag_names.setdefault(tag.lower(), tag)
            if tag.lower() not in entity.tags:
                entity.tags.append(tag.lower())
        entity.lines.append(line)
        plan.row_outcome[line] = outcome
        if len(plan.names) < SAMPLE:
            plan.names[line] = f"{values['first_name']} {values.get('last_name', '')}".strip()
        if progress and done % PROGRESS_EVERY == 0:
            progress(total // 2 + done // 2, total)

    _drop_what_exists(plan)
    if progress:
        progress(total, total)
    return plan


def _drop_what_exists(plan: ImportPlan) -> None:
    """Memberships and tags the matched people already have are not changes; rows that then
    change nothing are "unchanged"."""
    matched = [e for e in plan.entities if e.person_id is not None]
    memberships, has_primary, tags = _existing_links([e.person_id for e in matched])
    for entity in matched:
        entity.congregation_ids = [
            cid
            for cid in entity.congregation_ids
            if cid not in memberships.get(entity.person_id, ())
        ]
        entity.tags = [tag for tag in entity.tags if tag not in tags.get(entity.person_id, ())]
        entity.values["_has_primary"] = entity.person_id in has_primary
        if not (entity.changed or entity.congregation_ids or entity.tags):
            for line in entity.lines:
                plan.row_outcome[line] = "unchanged"
