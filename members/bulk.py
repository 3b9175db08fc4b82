"""Fast inserts for the import: PostgreSQL COPY, with ids taken from the table's sequence first
so the caller knows them. Elsewhere (SQLite) plain bulk_create.

Django's bulk_create spends most of its time building SQL and preparing each value; COPY streams
rows as they are. Only plain columns go through here (text, booleans, integers, datetimes).
"""

from django.db import connection

BATCH = 2000


def draw_ids(table: str, count: int) -> list[int]:
    """`count` new ids from `table`'s id sequence (PostgreSQL), in order: rows written by COPY
    then carry ids the caller already knows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def insert_rows(model, rows: list[dict]) -> list[int]:
    """Insert `rows` (column name → value; every non-null column without a database default
    must be given) and return their new ids, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH)
        return [obj.pk for obj in objects]
    table = model._meta.db_table
    columns = list(rows[0])
    quoted = ", ".join(connection.ops.quote_name(column) for column in ["id", *columns])
    ids = draw_ids(table, len(rows))
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, for COPY
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *(row[column] for column in columns)])
    return ids
