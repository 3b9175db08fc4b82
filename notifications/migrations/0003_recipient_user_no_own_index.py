import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The index notif_inbox_idx starts with recipient_user_id, so the foreign key's own index only
# cost every insert. Dropped by name: Django's AlterField would drop and re-add the foreign key
# too, checking every notification while it holds the table.
INDEX = "notifications_notification_recipient_user_id_0323d78e"


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_leader_commitment_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="recipient_user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient login",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=(
                        f"CREATE INDEX {INDEX} ON notifications_notification (recipient_user_id)"
                    ),
                ),
            ],
        ),
    ]
