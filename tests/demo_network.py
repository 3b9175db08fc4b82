"""One demo network for the tests that read what `seed_demo` makes (issue 16: the suite's time).

`seed_demo --people 400` takes 5-15 s; eight tests each seeded it afresh. The `demo_network`
fixture seeds it once per run and puts the same rows back for each test that asks, inside the
test's own transaction (rolled back with it; a transactional test's flush empties it).

On SQLite the rows are copied: the network is seeded once in a transaction, every row it added
is read, the transaction is rolled back, and each test gets the rows inserted again (~0.1 s).
Content types are the one thing the seed points at that it did not make; a transactional test's
flush recreates them with new ids, so those columns are kept as (app_label, model) and turned
back into the current ids. Elsewhere (PostgreSQL) each test seeds, as before.
"""

import io
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

PEOPLE = 400
SEED = 2026  # seed_demo's default: the network a developer sees after `make seed`
CONTENT_TYPES = ContentType._meta.db_table


@dataclass
class DemoNetwork:
    out: str  # what seed_demo printed
    people: int = PEOPLE
    seed: int = SEED


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--people", str(PEOPLE), "--seed", str(SEED), stdout=out)
    return out.getvalue()


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' AND name != 'django_migrations' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]


def _foreign_keys() -> dict[str, dict[str, str]]:
    """{table: {column: the table it points at}} for every concrete model."""
    keys: dict[str, dict[str, str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.remote_field.model is not None:
                target = field.remote_field.model._meta.db_table
                keys.setdefault(model._meta.db_table, {})[field.column] = target
    return keys


class _Copy:
    """The rows seed_demo adds to an empty database, read once, written back per test."""

    def __init__(self):
        with transaction.atomic(), connection.cursor() as cursor:
            tables = _tables(cursor)
            before = {table: self._read(cursor, table) for table in tables}
            self.out = _seed()
            after = {table: self._read(cursor, table) for table in tables}
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()  # it may hold ids the rollback took back
        cache.clear()
        keys = _foreign_keys()
        untouched = {table for table in tables if before[table] and before[table] == after[table]}
        named = {
            pk: (app_label, model)
            for pk, app_label, model in ContentType.objects.values_list("id", "app_label", "model")
        }
        self.tables: list[tuple[str, list[str], list[int], list[tuple]]] = []
        for table in tables:
            if table in untouched or not after[table]:
                continue
            assert not before[table] and table != CONTENT_TYPES, (
                f"seed_demo changed {table}, which held rows before it ran: copy it by hand"
            )
            columns = self._columns(table)
            pointing = keys.get(table, {})
            outside = {c: t for c, t in pointing.items() if t in untouched and t != CONTENT_TYPES}
            assert not outside, f"{table} points at rows seed_demo did not make: {outside}"
            typed = [columns.index(c) for c, t in pointing.items() if t == CONTENT_TYPES]
            rows = [
                tuple(named[v] if i in typed and v is not None else v for i, v in enumerate(row))
                for row in after[table]
            ]
            self.tables.append((table, columns, typed, rows))

    @classmethod
    def _read(cls, cursor, table) -> list[tuple]:
        """The rows as stored: ifnull() hides the declared type, so Django's converters (bool,
        datetime, decimal) leave the values alone and they go back byte for byte."""
        stored = ", ".join(f'ifnull("{column}", NULL)' for column in cls._columns(table))
        cursor.execute(f'SELECT {stored} FROM "{table}"')  # noqa: S608 - names from sqlite_master
        return cursor.fetchall()

    @staticmethod
    def _columns(table) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(f'PRAGMA table_info("{table}")')
            return [column[1] for column in cursor.fetchall()]

    def write(self) -> None:
        ids = {
            (app_label, model): pk
            for pk, app_label, model in ContentType.objects.values_list("id", "app_label", "model")
        }
        raw = connection.connection.cursor()
        try:
            with transaction.atomic():  # one transaction: deferred foreign keys check at its end
                for table, columns, typed, rows in self.tables:
                    if typed:
                        rows = [
                            tuple(
                                ids[v] if i in typed and v is not None else v
                                for i, v in enumerate(row)
                            )
                            for row in rows
                        ]
                    names = ", ".join(f'"{column}"' for column in columns)
                    marks = ", ".join("?" * len(columns))
                    raw.executemany(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                        rows,
                    )
        finally:
            raw.close()


_copies: dict[str, _Copy] = {}


@pytest.fixture
def demo_network(request, django_db_blocker) -> DemoNetwork:
    """The demo network (400 people, seed 2026) in this test's database, and seed_demo's output.

    Ask for it with the `db` or `transactional_db` fixture (or the django_db marker)."""
    if "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
    if connection.vendor != "sqlite":
        return DemoNetwork(out=_seed())
    return DemoNetwork(out=write_copy())


def copied() -> _Copy:
    """SQLite: the network's rows, seeded and read the first time they are asked for."""
    if "copy" not in _copies:
        _copies["copy"] = _Copy()
    return _copies["copy"]


def write_copy() -> str:
    """SQLite: put the copied network in the database; seed_demo's output."""
    copied().write()
    return copied().out
