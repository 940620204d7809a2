# Clocks are never looked up by policy on a hot path: one index entry less per clock written.

import django.db.models.deletion
from django.db import migrations, models

from kefu.core.migration_ops import drop_field_index


class Migration(migrations.Migration):

    dependencies = [
        ('sla', '0005_partial_link_indexes'),
    ]

    operations = [
        drop_field_index('sla.ticketclock', 'policy', models.ForeignKey(
            db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sla.slapolicy')),
    ]
