"""Trigram GIN indexes for the people search, on PostgreSQL only.

The directory searches with istartswith (UPPER(col::text) LIKE UPPER('abc%')) on names and email
and with contains (LIKE '%860555%') on the phone; pg_trgm GIN indexes on those expressions serve
both. SQLite has no pg_trgm: there this migration does nothing and the same lookups scan the
table. Raw SQL because Django wraps an OpClass over a function in parentheses, which PostgreSQL
rejects.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "person_first_trgm": "UPPER(first_name::text) gin_trgm_ops",
    "person_last_trgm": "UPPER(last_name::text) gin_trgm_ops",
    "person_email_trgm": "UPPER(email::text) gin_trgm_ops",
    "person_phone_trgm": "phone gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    TrigramExtension().database_forwards("members", schema_editor, None, None)
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON members_person USING gin ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_audit_and_imports")]

    operations = [migrations.RunPython(create, drop)]
