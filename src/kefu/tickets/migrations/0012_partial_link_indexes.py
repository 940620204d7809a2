# Index entries a new ticket no longer writes: the parent, merge and dispatch indexes become partial (most tickets
# have none of these links), and the event's own ticket index goes (event_ticket_version starts with it). The
# foreign keys' own indexes are dropped by name rather than by Django's AlterField, which on SQLite rebuilds the
# whole table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kefu.core.migration_ops import drop_field_index


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_loginfailure'),
        ('customers', '0001_initial'),
        ('tickets', '0011_sla_summary'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_dispatch_queue',
        ),
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_dispatched',
        ),
        drop_field_index('tickets.ticket', 'merged_into', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='tickets.ticket', verbose_name='merged into')),
        drop_field_index('tickets.ticket', 'parent', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='tickets.ticket', verbose_name='parent')),
        drop_field_index('tickets.ticketevent', 'ticket', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='tickets.ticket')),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('dispatched_team__isnull', False), ('is_open', True)), fields=['dispatched_team', '-priority', 'created_at'], name='ticket_dispatch_queue'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('dispatched_team__isnull', False)), fields=['dispatched_team', 'created_at'], name='ticket_dispatched'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('parent__isnull', False)), fields=['parent'], name='ticket_parent'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('merged_into__isnull', False)), fields=['merged_into'], name='ticket_merged_into'),
        ),
    ]
