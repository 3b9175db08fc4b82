"""Append-only ledger: triggers refusing UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""

from django.db import migrations

from congregations import ledger_triggers


def install(apps, schema_editor):
    for sql in ledger_triggers.statements(ledger_triggers.INSTALL, schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for sql in ledger_triggers.statements(ledger_triggers.REMOVE, schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("congregations", "0003_dues_ledger")]

    operations = [migrations.RunPython(install, remove)]
