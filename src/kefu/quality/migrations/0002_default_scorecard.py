from django.db import migrations


def install(apps, schema_editor):
    from django.utils import timezone

    from kefu.quality.defaults import install_defaults

    install_defaults(apps.get_model("quality", "Scorecard"), apps.get_model("quality", "ScorecardVersion"),
                     apps.get_model("quality", "CheckRules"), now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
