"""Relational tallies (issue 16): the counts the homes and the listening roll-up show, kept
current by the writes instead of recounted from the whole history on every request.

- `PersonContact`: a person's last one-on-one, how many, how many marked high potential, and a
  copy of their rung on the ladder (the going-cold and rising lists).
- `ListeningTally`: meetings that raised an issue, per congregation and month (the roll-up).
- `CongregationDay`: one-on-ones per congregation and day (the lead's twelve weeks, the
  congregation list's last 30 days).

The services that log meetings refresh what they touched in their own transaction
(`one_on_one_counted`, `house_meeting_counted`), the admin does the same for an edit or a
delete, a merge refreshes both people (members' `person_merged` signal), and Celery rebuilds
everything every hour (`tallies_rebuild`), which also covers bulk writes (the seeders call
it at their end). A cascade delete of one-on-ones (erasing a person) recounts their days, and a
ladder move copies the rung (signals, RelationshipsConfig.ready). Reads of a custom date range,
and a leader's own meetings, stay exact queries.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth

from conect.fragments import bump
from congregations.tallies import tallies_refresh as congregation_tallies_refresh
from members.models import Person
from members.tallies import ladder_tally_refresh

from .models import (
    CongregationDay,
    HouseMeeting,
    ListeningSource,
    ListeningTally,
    OneOnOne,
    PersonContact,
    Potential,
)

MeetingKey = tuple[int | None, datetime.date]  # (congregation id, first of the month)

_SOURCES: dict[str, tuple[Any, str]] = {
    ListeningSource.ONE_ON_ONE: (OneOnOne, "oneonone"),
    ListeningSource.HOUSE_MEETING: (HouseMeeting, "housemeeting"),
}


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# --- Who was met, when -------------------------------------------------------------------------


def contacts_refresh(person_ids: Iterable[int]) -> None:
    """Recount these people's one-on-ones (a person with none loses their row)."""
    ids = sorted({pk for pk in person_ids if pk})
    if not ids:
        return
    rows = (
        OneOnOne.objects.filter(person_id__in=ids)
        .order_by()
        .values_list("person_id", "person__level")
        .annotate(
            last=Max("held_on"),
            n=Count("id"),
            high=Count("id", filter=Q(potential=Potential.HIGH)),
        )
    )
    contacts = [
        PersonContact(person_id=pk, level=level, last_met_on=last, meetings=n, high_potential=high)
        for pk, level, last, n, high in rows
    ]
    PersonContact.objects.bulk_create(
        contacts,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["last_met_on", "meetings", "high_potential", "level"],
    )
    met = {contact.person_id for contact in contacts}
    PersonContact.objects.filter(person_id__in=[pk for pk in ids if pk not in met]).delete()


def contact_level_copied(person: Person) -> None:
    """A person moved on the ladder: their contact row's copy of the rung follows."""
    PersonContact.objects.filter(person_id=person.pk).exclude(level=person.level).update(
        level=person.level
    )


def _contacts_rebuild() -> None:
    """Every person's row from the one-on-ones, writing only the rows that differ."""
    contact, meeting = PersonContact._meta.db_table, OneOnOne._meta.db_table
    person = Person._meta.db_table
    with connection.cursor() as cursor:
        # `WHERE true` keeps SQLite from reading ON CONFLICT as a join's ON (both backends).
        cursor.execute(
            f"""
            INSERT INTO {contact} (person_id, last_met_on, meetings, high_potential, level)
            SELECT met.person_id, met.last, met.n, met.high, {person}.level
            FROM (
                SELECT person_id, MAX(held_on) AS last, COUNT(*) AS n,
                       SUM(CASE WHEN potential = %s THEN 1 ELSE 0 END) AS high
                FROM {meeting} GROUP BY person_id
            ) AS met JOIN {person} ON {person}.id = met.person_id WHERE true
            ON CONFLICT (person_id) DO UPDATE SET
                last_met_on = excluded.last_met_on,
                meetings = excluded.meetings,
                high_potential = excluded.high_potential,
                level = excluded.level
            WHERE {contact}.last_met_on <> excluded.last_met_on
               OR {contact}.meetings <> excluded.meetings
               OR {contact}.high_potential <> excluded.high_potential
               OR {contact}.level <> excluded.level
            """,  # noqa: S608 (our own table names)
            [Potential.HIGH.value],
        )
        changed = cursor.rowcount
        cursor.execute(
            f"""
            DELETE FROM {contact} WHERE NOT EXISTS (
                SELECT 1 FROM {meeting} WHERE {meeting}.person_id = {contact}.person_id)
            """  # noqa: S608 (our own table names)
        )
        if changed or cursor.rowcount:
            bump("relational")  # going cold and rising are cached fragments' (conect.fragments)


# --- What was heard, where, when ---------------------------------------------------------------


def _lock_listening() -> None:
    """One refresh of the listening and day tallies at a time (delete-then-insert must not
    interleave, and a recount must see the other refresh's meeting once it has committed).
    SQLite allows one writer anyway; PostgreSQL takes a transaction-scoped advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x4C495354])  # "LIST"


def _heard(source: str, meetings) -> list[ListeningTally]:
    model, key = _SOURCES[source]
    rows = (
        model.issues.through.objects.filter(**{f"{key}__in": meetings.values("pk")})
        .annotate(month=TruncMonth(f"{key}__held_on"))
        .values_list("issueheard_id", f"{key}__congregation_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        ListeningTally(
            source=source, issue_id=issue_id, congregation_id=cong_id, month=month, heard=n
        )
        for issue_id, cong_id, month, n in rows
    ]


@transaction.atomic
def listening_refresh(source: str, keys: Iterable[MeetingKey]) -> None:
    """Recount the issues heard in these (congregation, month) cells of one kind of meeting."""
    keys = set(keys)
    if not keys:
        return
    _lock_listening()
    model, _key = _SOURCES[source]
    cells = Q(pk__in=[])
    meetings = Q(pk__in=[])
    for congregation_id, month in keys:
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        where = (
            Q(congregation__isnull=True)
            if congregation_id is None
            else Q(congregation_id=congregation_id)
        )
        cells |= where & Q(month=month)
        meetings |= where & Q(held_on__gte=month, held_on__lt=next_month)
    ListeningTally.objects.filter(cells, source=source).delete()
    ListeningTally.objects.bulk_create(_heard(source, model.objects.filter(meetings)))


@transaction.atomic
def _listening_rebuild() -> None:
    _lock_listening()
    ListeningTally.objects.all().delete()
    for source, (model, _key) in _SOURCES.items():
        ListeningTally.objects.bulk_create(_heard(source, model.objects.all()), batch_size=2000)
    bump("relational")  # the listening roll-up is a cached fragment (conect.fragments)


# --- How many one-on-ones a congregation held, each day --------------------------------------

DayKey = tuple[int | None, datetime.date]  # (congregation id, the day held)


@transaction.atomic
def days_refresh(keys: Iterable[DayKey]) -> None:
    """Recount the one-on-ones of these (congregation, day) cells; a cell left with none loses
    its row. Meetings without a congregation are in no congregation's count."""
    keys = {(pk, day) for pk, day in keys if pk is not None}
    if not keys:
        return
    _lock_listening()  # after it, the count sees a concurrent log that has committed
    cells = Q(pk__in=[])
    for congregation_id, day in keys:
        cells |= Q(congregation_id=congregation_id, held_on=day)
    counted = (
        OneOnOne.objects.filter(cells)
        .order_by()
        .values_list("congregation_id", "held_on")
        .annotate(n=Count("id"))
    )
    days = [CongregationDay(congregation_id=pk, day=day, one_on_ones=n) for pk, day, n in counted]
    CongregationDay.objects.bulk_create(
        days,
        update_conflicts=True,
        unique_fields=["congregation", "day"],
        update_fields=["one_on_ones"],
    )
    empty = keys - {(d.congregation_id, d.day) for d in days}
    if empty:
        gone = Q(pk__in=[])
        for congregation_id, day in empty:
            gone |= Q(congregation_id=congregation_id, day=day)
        CongregationDay.objects.filter(gone).delete()


def _days_rebuild() -> None:
    """Every congregation's days from the one-on-ones, writing only the rows that differ."""
    day, meeting = CongregationDay._meta.db_table, OneOnOne._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {day} (congregation_id, day, one_on_ones)
            SELECT congregation_id, held_on, COUNT(*) FROM {meeting}
            WHERE congregation_id IS NOT NULL GROUP BY congregation_id, held_on
            ON CONFLICT (congregation_id, day) DO UPDATE SET one_on_ones = excluded.one_on_ones
            WHERE {day}.one_on_ones <> excluded.one_on_ones
            """  # noqa: S608 (our own table names)
        )
        changed = cursor.rowcount
        cursor.execute(
            f"""
            DELETE FROM {day} WHERE NOT EXISTS (
                SELECT 1 FROM {meeting} WHERE {meeting}.congregation_id = {day}.congregation_id
                AND {meeting}.held_on = {day}.day)
            """  # noqa: S608 (our own table names)
        )
        if changed or cursor.rowcount:
            bump("relational")  # the lead's home and the congregation list are cached fragments


# --- The writes' entry points --------------------------------------------------------------------


def one_on_one_counted(meeting: OneOnOne, *, before: OneOnOne | None = None) -> None:
    """A one-on-one was logged, changed (`before` is its earlier state) or deleted: refresh the
    person's contact row and the roll-up cells it was and is in."""
    people = {meeting.person_id}
    days = {(meeting.congregation_id, meeting.held_on)}
    if before is not None:
        people.add(before.person_id)
        days.add((before.congregation_id, before.held_on))
    contacts_refresh(people)
    listening_refresh(ListeningSource.ONE_ON_ONE, {(pk, month_of(day)) for pk, day in days})
    days_refresh(days)


def house_meeting_counted(meeting: HouseMeeting, *, before: HouseMeeting | None = None) -> None:
    """A house meeting was logged, changed or deleted: refresh the roll-up cells it touched."""
    cells = {(meeting.congregation_id, month_of(meeting.held_on))}
    if before is not None:
        cells.add((before.congregation_id, month_of(before.held_on)))
    listening_refresh(ListeningSource.HOUSE_MEETING, cells)


def tallies_rebuild() -> None:
    """Rebuild every relational tally from the meetings (Celery, hourly; seeders)."""
    with transaction.atomic():
        _contacts_rebuild()
    _listening_rebuild()
    with transaction.atomic():
        _lock_listening()
        _days_rebuild()


def every_tally_counted() -> None:
    """Count every tally the pages read, after bulk inserts that kept none (the seeders): the
    congregations', the network's ladder and the relational ones."""
    congregation_tallies_refresh()
    ladder_tally_refresh()
    tallies_rebuild()
