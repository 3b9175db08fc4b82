"""lower(email) of the people whose stored email has a capital, on PostgreSQL only (issue 16).

The import compares the file's lower-case emails with the stored ones as they are, and finds
the few people whose stored email has a capital through this partial index
(members.importing._FOLDED_SQL, whose WHERE must imply the index's), instead of lower-casing
every email in its pass over people: a third of that pass at 1,000,000 people. The forms and
the import store emails lower-case, so the index stays near empty. Raw SQL, as in 0003: SQLite
reads every person in scope and needs none.
"""

from django.db import migrations

NAME = "person_email_folded_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON members_person (lower(email)) "
            "WHERE email <> lower(email)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("members", "0021_duplicate_scan")]

    operations = [migrations.RunPython(create, drop)]
