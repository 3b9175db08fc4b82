"""The duplicate queue reads stored pairs (members.duplicates.duplicates_refresh)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0017_import_row'),
    ]

    operations = [
        migrations.CreateModel(
            name='DuplicatePair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reasons', models.PositiveSmallIntegerField(verbose_name='reasons')),
                ('newest_at', models.DateTimeField(verbose_name='newest record created at')),
                ('found_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='found at')),
                ('first', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.person')),
                ('second', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.person')),
            ],
            options={
                'verbose_name': 'possible duplicate',
                'verbose_name_plural': 'possible duplicates',
                'indexes': [models.Index(fields=['-reasons', '-newest_at', '-id'], name='duplicate_pair_strongest'), models.Index(fields=['-newest_at', '-reasons', '-id'], name='duplicate_pair_newest')],
                'constraints': [models.UniqueConstraint(fields=('first', 'second'), name='duplicate_pair_unique'), models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='duplicate_pair_ordered')],
            },
        ),
    ]
