"""Notifications written as plain rows: a sweep batch queues thousands at once (queue_notifications).

Building a model instance per message and letting the ORM prepare it again for the INSERT costs more than the
database does, so the bulk path fills value rows itself and runs one compiled multi-row INSERT.
"""

from django.db import connections, router
from django.db.models import JSONField

from kefu.notify.models import Notification

# Every column but the primary key.
FIELDS = [f for f in Notification._meta.concrete_fields if not f.primary_key]
_PK = Notification._meta.pk
_COLUMNS = [(f.attname, f, isinstance(f, JSONField)) for f in FIELDS]
# Exact types (not bool, not subclasses): the values of Notification's text, number and foreign-key columns.
_PLAIN = (str, int)
_sql: dict = {}


def _statement(connection, rows: int, returning: bool) -> str:
    key = (connection.alias, connection.vendor, rows, returning)
    if key not in _sql:
        if len(_sql) > 200:  # one entry per batch length seen: keep the memo bounded
            _sql.clear()
        qn = connection.ops.quote_name
        one = "(" + ", ".join(["%s"] * len(FIELDS)) + ")"
        # Identifiers come from the model's metadata and are quoted; every value is a parameter.
        sql = (f"INSERT INTO {qn(Notification._meta.db_table)} "  # noqa: S608
               f"({', '.join(qn(f.column) for f in FIELDS)}) VALUES {', '.join([one] * rows)}")
        _sql[key] = sql + (f" RETURNING {qn(_PK.column)}" if returning else "")
    return _sql[key]


def insert(values: list[dict]) -> list[int]:
    """Insert one row per dict of attname → Python value (every column of FIELDS); the new ids, in order.

    The values must be valid already (kefu.notify.validation): nothing is checked here."""
    if not values:
        return []
    connection = connections[router.db_for_write(Notification)]
    memo: dict = {}
    return [_PK.to_python(pk) for pk in _run(connection, [_row(v, connection, memo) for v in values])]


def _row(values: dict, connection, memo: dict) -> list:
    """What field.get_db_prep_save() gives for each column, without its conversion chain where that is the
    identity (text, numbers, ids), and once per distinct value where a batch repeats it (its moments)."""
    row = []
    for attname, field, is_json in _COLUMNS:
        value = values[attname]
        if is_json:
            value = field.get_db_prep_save(value, connection)  # None may be JSON null here, not SQL NULL
        elif value is not None and type(value) not in _PLAIN:
            key = (attname, value)
            if key not in memo:
                memo[key] = field.get_db_prep_save(value, connection)
            value = memo[key]
        row.append(value)
    return row


def _run(connection, rows: list[list]) -> list:
    size = connection.ops.bulk_batch_size(FIELDS, rows) or len(rows)
    returning = connection.features.can_return_rows_from_bulk_insert
    pks: list = []
    with connection.cursor() as cursor:
        for begin in range(0, len(rows), size):
            chunk = rows[begin:begin + size]
            if returning:
                cursor.execute(_statement(connection, len(chunk), True), [v for row in chunk for v in row])
                pks.extend(r[0] for r in cursor.fetchall())
            else:  # an old SQLite without RETURNING: one row at a time, to learn each id
                for row in chunk:
                    cursor.execute(_statement(connection, 1, False), row)
                    pks.append(cursor.lastrowid)
    return pks
