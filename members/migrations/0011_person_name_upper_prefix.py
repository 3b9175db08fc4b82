"""Prefix indexes for the door's name search, on PostgreSQL only.

The check-in search (actions.selectors.door_search) and the one-on-one person picker match names
with istartswith: UPPER(first_name::text) LIKE 'SMI%'. 0005 replaced the UPPER() trigram indexes
with plain-column ones for the directory's regex search, so at 1,000,000 people those prefix
searches walked the whole name index (bench/plans/door-search-lead.txt). A btree on the UPPER()
expression with text_pattern_ops answers a LIKE prefix whatever the database's collation.
Raw SQL for the same reason as 0003 (an operator class over a function).
"""

from django.db import migrations

INDEXES = {
    "person_first_upper_prefix": "UPPER(first_name::text) text_pattern_ops",
    "person_last_upper_prefix": "UPPER(last_name::text) text_pattern_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON members_person ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0010_import_job_lease")]

    operations = [migrations.RunPython(create, drop)]
