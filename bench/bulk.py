"""Fast row loading for the bench seeder: COPY on PostgreSQL, executemany elsewhere.

`Loader.load(model, columns, rows)` writes tuples for the named columns and fills every other
concrete column the way Django would (auto_now fields with now, the field's default, NULL, or ""
for a blank text field), so a field another branch adds with a default does not break the seeder.

`deferred_indexes(connection, tables)` drops the secondary indexes, unique and foreign-key
constraints of the tables about to be bulk-loaded and recreates them afterwards from their own
definitions (pg_indexes / pg_get_constraintdef): building an index once over a million rows is
many times faster than maintaining it row by row, and re-adding a foreign key validates every row.
"""

from __future__ import annotations

import datetime
import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection as default_connection
from django.db import models
from django.utils import timezone

BATCH = 5000


class Loader:
    def __init__(self, connection=default_connection, log=None):
        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        self.log = log or (lambda line: None)
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def _fill(self, model: type[models.Model], columns: list[str]) -> tuple[list[str], tuple]:
        """The columns the caller did not give, and the value each gets."""
        given = set(columns)
        names: list[str] = []
        values: list = []
        for field in model._meta.concrete_fields:
            if field.column in given or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif isinstance(field, models.CharField | models.TextField):
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
            names.append(str(field.column))
            values.append(value)
        return names, tuple(values)

    def load(self, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
        """Write `rows` (tuples in `columns` order) into the model's table; returns the count."""
        extra_names, extra_values = self._fill(model, columns)
        table = model._meta.db_table
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in [*columns, *extra_names])
        count = 0
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            if self.copy:
                types = self._column_types(cursor, table, [*columns, *extra_names])
                sql = f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)"
                with cursor.copy(sql) as copy:
                    copy.set_types(types)  # binary COPY: five times faster than text here
                    for row in rows:
                        copy.write_row(row + extra_values)
                        count += 1
            else:
                marks = ", ".join(["%s"] * (len(columns) + len(extra_names)))
                sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
                for batch in _batches(rows, BATCH):
                    cursor.executemany(sql, [self._adapt(row + extra_values) for row in batch])
                    count += len(batch)
        self.counts[table] = self.counts.get(table, 0) + count
        self.log(f"    {table}: {count:,} rows in {time.perf_counter() - started:.1f} s")
        return count

    @staticmethod
    def _column_types(cursor, table: str, columns: list[str]) -> list[str]:
        """PostgreSQL's type name of each column, in order, for binary COPY."""
        cursor.execute(
            "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        types = dict(cursor.fetchall())
        return [types[column] for column in columns]

    def _adapt(self, row: tuple) -> tuple:
        """Values as the non-PostgreSQL backends' executemany wants them (dates as text)."""
        ops = self.connection.ops
        out = []
        for value in row:
            if isinstance(value, datetime.datetime):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(value, datetime.date):
                value = ops.adapt_datefield_value(value)
            out.append(value)
        return tuple(out)


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def deferred_indexes(connection, tables: list[str], log=None):
    """Drop the tables' secondary indexes and unique/foreign-key constraints, run the body,
    recreate them. PostgreSQL only; elsewhere the body runs with the indexes in place."""
    log = log or (lambda line: None)
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Rows written earlier in this transaction have deferred foreign-key checks pending,
        # and PostgreSQL refuses to alter a table with pending trigger events: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT con.conrelid::regclass::text, con.conname, con.contype, "
            "pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "WHERE con.conrelid = ANY(%s::regclass[]) AND con.contype IN ('u', 'f') "
            "ORDER BY con.contype DESC, con.conname",  # unique ones first: FKs may need them
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
            "AND c.conrelid = (quote_ident(i.tablename))::regclass)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _kind, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for _table, name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    log(f"  deferred {len(indexes)} indexes and {len(constraints)} constraints")
    yield
    started = time.perf_counter()
    uniques = [c for c in constraints if c[2] == "u"]
    foreign = [c for c in constraints if c[2] == "f"]
    build = [definition for _table, _name, definition in indexes]
    build += [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, _k, d in uniques]
    if connection.in_atomic_block:  # one transaction (the tests): one connection, in order
        statements = [
            *build,
            *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, _k, d in foreign),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        # Committed data: build on every core at once (one index build uses one core, GIN
        # always), then add the foreign keys unchecked and validate them in parallel too.
        _in_parallel(connection, sorted(build, key=_cost, reverse=True))
        with connection.cursor() as cursor:
            for table, name, _kind, definition in foreign:
                cursor.execute(
                    f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID'
                )
        _in_parallel(
            connection, [f'ALTER TABLE {t} VALIDATE CONSTRAINT "{n}"' for t, n, _k, _d in foreign]
        )
    log(f"  rebuilt indexes and constraints in {time.perf_counter() - started:.1f} s")


def _add(table: str, name: str, definition: str) -> str:
    return f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'


def _cost(statement: str) -> int:
    """Longest first: trigram (GIN) indexes, then the biggest tables' indexes."""
    return ("USING gin" in statement) * 10 + any(t in statement for t in HEAVY_TABLES)


HEAVY_TABLES = ("members_person ", "relationships_oneonone ", "actions_attendance ")


def _in_parallel(connection, statements: list[str], workers: int | None = None) -> None:
    """Run independent DDL statements on `workers` connections of their own (one per core)."""
    pending: queue.SimpleQueue[str] = queue.SimpleQueue()
    for statement in statements:
        pending.put(statement)
    failures: list[BaseException] = []
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)

    def work() -> None:
        with psycopg.connect(**params, autocommit=True) as own:
            own.execute("SET maintenance_work_mem = '1GB'")
            own.execute("SET max_parallel_maintenance_workers = 0")  # we are the parallelism
            while True:
                try:
                    statement = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    own.execute(statement)
                except Exception as error:  # reported after the others finish
                    failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers or os.cpu_count() or 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
