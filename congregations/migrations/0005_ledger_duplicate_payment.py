"""A payment recorded although it matched an earlier one says which one and why.

On SQLite adding the constraint rebuilds the table, which drops its triggers: they are installed
again afterwards (and, going backwards, after the rebuild that removes the constraint)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from congregations import ledger_triggers


def reinstall_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in ledger_triggers.statements(ledger_triggers.REMOVE, vendor):
        schema_editor.execute(sql, params=None)
    for sql in ledger_triggers.statements(ledger_triggers.INSTALL, vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("congregations", "0004_ledger_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_triggers),
        migrations.AddField(
            model_name="ledgerentry",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="congregations.ledgerentry",
                verbose_name="looks like",
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="duplicate_reason",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="why it is another payment"
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("duplicate_of__isnull", True),
                    models.Q(("duplicate_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="ledger_duplicate_has_reason",
            ),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
