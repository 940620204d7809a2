"""Notifications written as plain rows: a sweep batch queues thousands at once (queue_notifications).

Building a model instance per message and letting the ORM prepare it again for the INSERT costs more than the
database does, so the bulk path fills value rows itself and runs PreparedInsert's compiled multi-row INSERT (on
PostgreSQL an INSERT … SELECT from one array per column).
"""

import json

from django.db import connections, router
from django.db.models import JSONField

from kefu.core.prepared import PreparedInsert, db_value
from kefu.notify.models import Notification

# Every column but the primary key.
FIELDS = [f for f in Notification._meta.concrete_fields if not f.primary_key]
_PK = Notification._meta.pk
_COLUMNS = [(f.attname, f, isinstance(f, JSONField)) for f in FIELDS]
# Exact types (not bool, not subclasses): the values of Notification's text, number and foreign-key columns.
_PLAIN = (str, int)
_sql: dict = {}
# The multi-row INSERT (SQLite, and PostgreSQL for one row): PreparedInsert's statement and batching.
_insert = PreparedInsert(Notification)


def insert(values: list[dict]) -> list[int]:
    """Insert one row per dict of attname → Python value (every column of FIELDS); the new ids, in order.

    The values must be valid already (kefu.notify.validation): nothing is checked here."""
    if not values:
        return []
    connection = connections[router.db_for_write(Notification)]
    if connection.vendor == "postgresql" and len(values) > 1:
        return _insert_unnest(connection, values)
    memo: dict = {}
    return _insert.insert_rows([_row(v, connection, memo) for v in values], connection)


def _row(values: dict, connection, memo: dict) -> list:
    """The row's values as the database takes them (what field.get_db_prep_save() gives)."""
    return [field.get_db_prep_save(values[attname], connection) if is_json  # None: JSON null, not SQL NULL
            else _prepare(field, attname, values[attname], connection, memo)
            for attname, field, is_json in _COLUMNS]


def _prepare(field, attname: str, value, connection, memo: dict):
    """get_db_prep_save() without its conversion chain where that is the identity (text, numbers, ids), and
    once per distinct moment where a batch repeats it (kefu.core.prepared.db_value)."""
    if value is None or type(value) in _PLAIN:
        return value
    return db_value(field, value, connection, memo)


def _insert_unnest(connection, values: list[dict]) -> list[int]:
    """PostgreSQL: one array per column, as Django's own bulk_create does there, and one value for a column that
    is the same on every row (the moment, the status …). A VALUES list of a thousand rows has fifteen thousand
    parameters, each quoted by the client (server-side binding is off) and parsed and planned by the server."""
    memo: dict = {}
    columns, shape = [], []
    for attname, field, is_json in _COLUMNS:
        if is_json:  # as text, cast by the server: what Django's Jsonb adapter sends, without its cost per value
            column = [None if v[attname] is None else json.dumps(v[attname], cls=field.encoder) for v in values]
        else:
            column = [_prepare(field, attname, v[attname], connection, memo) for v in values]
        first = column[0]
        columns.append(column)
        shape.append(all(value is first or (type(value) is type(first) and value == first) for value in column))
    shape[0] = shape[0] and not all(shape)  # identical messages: UNNEST still needs one array to count the rows
    params = [column[0] if same else column for column, same in zip(columns, shape, strict=True)]
    key = (connection.alias, "unnest", tuple(shape))
    if key not in _sql:
        if len(_sql) > 200:
            _sql.clear()
        _sql[key] = _unnest_statement(connection, shape)
    # The constants come first in the statement (its select list), the arrays after (its FROM).
    ordered = [p for p, same in zip(params, shape, strict=True) if same]
    ordered += [p for p, same in zip(params, shape, strict=True) if not same]
    with connection.cursor() as cursor:
        cursor.execute(_sql[key], ordered)
        return [r[0] for r in cursor.fetchall()]


def _unnest_statement(connection, shape: list[bool]) -> str:
    qn = connection.ops.quote_name
    selected, arrays, names = [], [], []
    for (_attname, field, is_json), same in zip(_COLUMNS, shape, strict=True):
        # The types without their length (varchar, not varchar(10)), so that nothing is truncated.
        db_type = "text" if is_json else field.db_type(connection).split("(")[0]
        cast = "::jsonb" if is_json else ""
        if same:
            selected.append(f"(%s)::{db_type}{cast}")
        else:
            arrays.append(f"(%s)::{db_type}[]")
            names.append(qn(field.column))
            selected.append(f"u.{qn(field.column)}{cast}")
    # Identifiers and types come from the model's metadata; every value is a parameter.
    return (f"INSERT INTO {qn(Notification._meta.db_table)} "  # noqa: S608
            f"({', '.join(qn(f.column) for f in FIELDS)}) SELECT {', '.join(selected)} "
            f"FROM UNNEST({', '.join(arrays)}) AS u({', '.join(names)}) RETURNING {qn(_PK.column)}")
