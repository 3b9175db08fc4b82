"""Exporting people to CSV: the columns of the import contract first, so an export can be
imported again unchanged. Streamed, 2,000 people at a time, and audited."""

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from conect import access
from conect.spreadsheet import neutralise
from congregations.models import Membership

from .importing import CONTRACT_HEADER
from .models import AuditEvent, Demographics, Person, User
from .services import audit_log

BATCH = 2000
EXPORT_COLUMNS = [
    *CONTRACT_HEADER,
    "phone_extension",  # the import reads it back (issue 11)
    "level",
    "email_ok",
    "sms_ok",
    "do_not_contact",
]
FLAGS = ("email_ok", "sms_ok", "do_not_contact")
# Only when an admin ticks it, audited as such: consented self-identified race/ethnicity.
DEMOGRAPHIC_COLUMNS = ["race_ethnicity", "race_ethnicity_own_words"]


def people_export(
    *, people: QuerySet[Person], by: User, filters: dict, demographics: bool = False
) -> Iterator[str]:
    """Record who exported which filters (one audit row), then return the CSV lines of
    `people`, to stream. `demographics` adds the consented race/ethnicity columns: admins
    only, and the audit row says so."""
    if demographics and not access.is_admin(by):
        raise PermissionError("only admins export demographics")
    detail: dict[str, Any] = {"demographics": True} if demographics else {}
    audit_log(by=by, action=AuditEvent.Action.EXPORT, export="people", filters=filters, **detail)
    return _export_rows(people, demographics=demographics)


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    """itertools.batched arrives in Python 3.12."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Echo:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, value):
        return value


def _consented_demographics(ids: list[int]) -> dict[int, list[str]]:
    rows = Demographics.objects.filter(person_id__in=ids, consented_on__isnull=False)
    return {
        person_id: [";".join(groups), own_words]
        for person_id, groups, own_words in rows.values_list(
            "person_id", "groups", "self_described"
        )
    }


def _export_rows(people: QuerySet[Person], *, demographics: bool = False) -> Iterator[str]:
    """CSV lines for `people`: plain values, 2,000 people and one tag query at a time."""
    writer = csv.writer(_Echo())
    extra = DEMOGRAPHIC_COLUMNS if demographics else []
    yield "\ufeff" + writer.writerow([*EXPORT_COLUMNS, *extra])
    columns = [c for c in EXPORT_COLUMNS if c != "tags"]
    primary = Membership.objects.filter(person=OuterRef("pk"), is_primary=True)
    rows = people.annotate(
        congregation=Subquery(primary.values("congregation__slug")[:1])
    ).values_list("pk", *columns)
    for chunk in _batched(rows.iterator(chunk_size=BATCH), BATCH):
        tags = defaultdict(list)
        links = Person.tags.through.objects.filter(person_id__in=[row[0] for row in chunk])
        for person_id, name in links.values_list("person_id", "tag__name").order_by("tag__name"):
            tags[person_id].append(name)
        shared = _consented_demographics([row[0] for row in chunk]) if demographics else {}
        for pk, *values in chunk:
            record = dict(zip(columns, values, strict=True))
            record["tags"] = ";".join(tags[pk])
            for flag in FLAGS:
                record[flag] = int(record[flag])
            more = shared.get(pk, ["", ""]) if demographics else []
            yield writer.writerow(
                [neutralise(value) for value in [*(record[c] for c in EXPORT_COLUMNS), *more]]
            )
