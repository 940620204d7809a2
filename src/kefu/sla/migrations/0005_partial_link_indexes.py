# The clock's own ticket index duplicated clock_ticket_kind's first column: one index less to write per clock.

import django.db.models.deletion
from django.db import migrations, models

from kefu.core.migration_ops import drop_field_index


class Migration(migrations.Migration):

    dependencies = [
        ('sla', '0004_drop_clock_live'),
        ('tickets', '0011_sla_summary'),
    ]

    operations = [
        drop_field_index('sla.ticketclock', 'ticket', models.ForeignKey(
            db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='clocks', to='tickets.ticket')),
    ]
