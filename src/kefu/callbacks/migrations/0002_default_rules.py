from django.db import migrations


def install(apps, schema_editor):
    from kefu.callbacks.defaults import install_default_rules

    install_default_rules(apps.get_model("callbacks", "CallbackRule"), apps.get_model("tickets", "TicketType"))


class Migration(migrations.Migration):
    dependencies = [("callbacks", "0001_initial"), ("tickets", "0002_default_ticket_types")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
