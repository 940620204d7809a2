from django.db import migrations


def install(apps, schema_editor):
    from kefu.tickets.defaults import install_default_types

    install_default_types(apps.get_model("tickets", "TicketType"), apps.get_model("tickets", "TicketField"))


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
