from django.db import migrations


def install(apps, schema_editor):
    from kefu.sla.defaults import install as install_defaults

    install_defaults(apps.get_model("sla", "BusinessCalendar"), apps.get_model("sla", "SlaPolicy"),
                     apps.get_model("sla", "EscalationRung"), apps.get_model("tickets", "TicketType"))


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial"), ("tickets", "0002_default_ticket_types")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
