"""Migration operations Django's own do at too high a cost on a large table."""

from django.db import migrations


def drop_field_index(model_name: str, field: str, altered) -> migrations.SeparateDatabaseAndState:
    """AlterField(model_name, field, altered) where `altered` only turns db_index off: on SQLite Django would
    rebuild the whole table (copy every row, recreate every index: minutes on a million tickets) to drop one
    index. This drops just the index the field had (found by introspection: exactly that one column, neither
    unique nor a primary key), and creates it again when migrating backwards."""

    def forwards(apps, schema_editor):
        model = apps.get_model(_app(model_name), _name(model_name))
        column = model._meta.get_field(field).column
        for name in schema_editor._constraint_names(model, [column], index=True, unique=False, primary_key=False):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def backwards(apps, schema_editor):
        model = apps.get_model(_app(model_name), _name(model_name))
        old = model._meta.get_field(field)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[old]))

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=_name(model_name), name=field, field=altered)],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )


def _app(label: str) -> str:
    return label.split(".")[0]


def _name(label: str) -> str:
    return label.split(".")[1]
