from django.db import migrations


def chain(apps, schema_editor):
    from kefu.audit.chain import chain_existing

    chain_existing(apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditChainHead"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [migrations.RunPython(chain, migrations.RunPython.noop)]
