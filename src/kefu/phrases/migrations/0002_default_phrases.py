from django.db import migrations


def install(apps, schema_editor):
    from kefu.phrases.defaults import install_default_phrases

    install_default_phrases(apps.get_model("phrases", "Phrase"))


class Migration(migrations.Migration):
    dependencies = [("phrases", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
