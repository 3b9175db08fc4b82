"""A merge keeps the merged-away email as another email of the survivor (OtherEmail)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0018_duplicate_pair'),
    ]

    operations = [
        migrations.CreateModel(
            name='OtherEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='email')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='other_emails', to='members.person')),
            ],
            options={
                'verbose_name': 'other email',
                'verbose_name_plural': 'other emails',
                'ordering': ['created_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('person', 'email'), name='other_email_once')],
            },
        ),
    ]
