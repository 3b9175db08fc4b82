"""Other income is judged by its source type, never by the funder's name; "faith" becomes
"congregation"."""

from django.db import migrations, models


def faith_to_congregation(apps, schema_editor):
    apps.get_model("congregations", "OtherIncome").objects.filter(source="faith").update(
        source="congregation"
    )


def congregation_to_faith(apps, schema_editor):
    apps.get_model("congregations", "OtherIncome").objects.filter(source="congregation").update(
        source="faith"
    )


class Migration(migrations.Migration):
    dependencies = [("congregations", "0005_ledger_duplicate_payment")]

    operations = [
        migrations.AlterField(
            model_name="otherincome",
            name="kind",
            field=models.CharField(
                choices=[("donation", "Donation"), ("grant", "Grant")],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="otherincome",
            name="source",
            field=models.CharField(
                choices=[
                    ("individual", "Individual"),
                    ("foundation", "Foundation"),
                    ("congregation", "Congregation or faith body (not dues)"),
                    ("business", "Business"),
                    ("other", "Other private source"),
                    ("government", "Government (not accepted)"),
                ],
                help_text=(
                    "What kind of funder it is, whatever its name. CONECT takes no government "
                    "money, so its independence is never in question."
                ),
                max_length=20,
                verbose_name="source type",
            ),
        ),
        migrations.RunPython(faith_to_congregation, congregation_to_faith),
    ]
