"""Name search became an accent-tolerant case-insensitive regex (first_name ~* '...'), which
pg_trgm serves from an index on the plain column, not on UPPER(column). PostgreSQL only."""

from django.db import migrations

OLD = {
    "person_first_trgm": "UPPER(first_name::text) gin_trgm_ops",
    "person_last_trgm": "UPPER(last_name::text) gin_trgm_ops",
}
NEW = {
    "person_first_name_trgm": "first_name gin_trgm_ops",
    "person_last_name_trgm": "last_name gin_trgm_ops",
}


def _swap(schema_editor, drop, create):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, expression in create.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON members_person USING gin ({expression})"
        )


def forwards(apps, schema_editor):
    _swap(schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _swap(schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_not_duplicate")]

    operations = [migrations.RunPython(forwards, backwards)]
