"""The OData-style `filter` Action Network v2 accepts: `modified_date gt '2024-01-31'`,
`email_address eq 'ana@example.org'`, clauses joined by `and`.

Each collection says which fields it filters on and what each maps to; anything else is a 400
that names what is allowed, never a silently ignored filter."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

CLAUSE = re.compile(r"^\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)
AND = re.compile(r"\s+and\s+", re.IGNORECASE)
LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


@dataclass(frozen=True)
class Field:
    """`column`: the ORM path; `kind`: "date" (all comparisons) or "text" (eq only, no case)."""

    column: str
    kind: str = "text"


def _moment(value: str) -> datetime.datetime:
    """'2024-01-31' or '2024-01-31T12:00:00Z'; a time without a zone is UTC, as in the API."""
    moment = parse_datetime(value.replace(" ", "T", 1))
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.datetime.combine(day, datetime.time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def filter_q(text: str | None, fields: dict[str, Field]) -> Q:
    """The Q for a `filter` parameter; ValidationError (400) for anything not understood."""
    q = Q()
    if not text or not text.strip():
        return q
    allowed = ", ".join(sorted(fields))
    for clause in AND.split(text.strip()):
        match = CLAUSE.match(clause)
        if not match:
            raise ValidationError(
                {"filter": _("Write filters as: field op 'value' (op: eq, gt, ge, lt, le).")}
            )
        name, op, raw = match.group(1).lower(), match.group(2).lower(), match.group(3)
        value = raw.replace("''", "'")
        field = fields.get(name)
        if field is None:
            raise ValidationError(
                {"filter": _("This list filters on: %(fields)s.") % {"fields": allowed}}
            )
        if field.kind == "text":
            if op != "eq":
                raise ValidationError({"filter": _("%(field)s takes only eq.") % {"field": name}})
            q &= Q(**{f"{field.column}__iexact": value})
            continue
        try:
            moment = _moment(value)
        except ValueError:
            raise ValidationError(
                {"filter": _("“%(value)s” is not a date.") % {"value": value}}
            ) from None
        if op == "eq":
            q &= Q(**{field.column: moment})
        elif op == "ne":
            q &= ~Q(**{field.column: moment})
        else:
            q &= Q(**{f"{field.column}__{LOOKUPS[op]}": moment})
    return q
