"""Hot-path SQL compiled once per process: the write paths' INSERTs and single-row look-ups.

Django's SQL compiler costs more than the database on the write paths (on the 2-core reference machine a
`filter(pk=…).first()` is ~770 µs, the same SELECT through the cursor ~60 µs). These helpers compile a query
or an INSERT once per database connection alias and then only run it, keeping what matters of the ORM:

- the same connection and transaction as the surrounding `transaction.atomic` (so rollbacks undo them),
- Django's own value conversion both ways (`get_db_prep_save` in, the backend's converters out), and model
  instances built with `Model.from_db` exactly as a queryset builds them,
- the debug cursor, so `django_assert_num_queries` and `connection.queries` still see every statement,
- `pre_save`/`post_save` signals: a model with receivers connected is saved through the ORM instead.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import JSONField, Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators

from kefu.core.rows import build as build_rows
from kefu.core.rows import no_init_receivers
from kefu.core.rows import plan as rows_plan

# Stand-ins for the parameters while compiling, in two sets: the query is compiled with each, and a parameter is
# the position holding the first set's value in one and the second's in the other — never a literal that merely
# equals one. Small positive integers, valid for every integer column: Django compiles an out-of-range integer
# filter to "matches nothing" (EmptyResultSet), which must not be mistaken for an empty visibility.
_FIRST, _SECOND = 30_001, 31_001


# Field classes whose get_db_prep_save() returns a value of this exact type unchanged, on every backend: the
# conversion chain (get_prep_value → to_python → the backend's adapt_*) is an identity for them.
_IDENTITY = {
    models.CharField: str, models.TextField: str, models.SlugField: str,
    models.IntegerField: int, models.SmallIntegerField: int, models.BigIntegerField: int,
    models.PositiveIntegerField: int, models.PositiveSmallIntegerField: int, models.PositiveBigIntegerField: int,
    models.AutoField: int, models.BigAutoField: int, models.SmallAutoField: int, models.BooleanField: bool,
    models.FloatField: float,
}
# Text fields write any str as it is, a str subclass too (a TextChoices member: to_python() keeps it as it is).
_TEXT = {models.CharField, models.TextField, models.SlugField}


def _plain_read(field) -> bool:
    """Whether field.pre_save(obj, add) just reads the attribute (no auto_now and the like)."""
    pre_save = type(field).pre_save
    if pre_save is models.Field.pre_save:
        return True
    dated = (models.DateField.pre_save, models.DateTimeField.pre_save, models.TimeField.pre_save)
    return pre_save in dated and not (field.auto_now or field.auto_now_add)


def _passthrough(field) -> type | None:
    """The value type that field writes as it is, or None; exact classes only, never a custom subclass."""
    if type(field) is models.ForeignKey:
        return _passthrough(field.target_field)
    return _IDENTITY.get(type(field))


def _plain_json(field) -> bool:
    """A JSONField whose get_db_prep_save() of a dict or list is the backend's adapt_json_value(value, None)."""
    return type(field) is JSONField and field.encoder is None


def db_value(field, value, connection, memo: dict, text: bool = False, json: bool = False):
    """field.get_db_prep_save(value, connection) for a value that is neither None nor an expression, with its
    conversion chain skipped where the result is known: a str subclass of a text field (`text`), a dict or
    list of a plain JSONField (`json`: the backend's own adapt_json_value, without five layers of calls), and
    each datetime converted once per `memo` (a change writes the same moment into several rows)."""
    if text and isinstance(value, str):
        return value
    if json and type(value) in (dict, list):
        return connection.ops.adapt_json_value(value, None)
    if isinstance(value, datetime):
        key = (type(field), value)
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection)
        return memo[key]
    return field.get_db_prep_save(value, connection)


def _compiled(make: Callable[[list[int]], QuerySet], given: int, *, rows: bool = True) -> dict | None:
    """The SQL of the queryset `make(params)` and where each parameter goes in it; None if it matches nothing.

    With `rows`, also what turning its rows into model instances needs (converters, columns, populators)."""
    first, second = [_FIRST + i for i in range(given)], [_SECOND + i for i in range(given)]
    compiled = []
    for stand_ins in (first, second):
        queryset = make(stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            compiled.append((compiler, *compiler.as_sql()))
        except EmptyResultSet:  # e.g. visible_to() answered none(): nothing to run, ever, for this key
            compiled.append(None)
    if compiled[0] is None or compiled[1] is None:
        if compiled[0] is compiled[1]:
            return None
        raise ValueError("cannot prepare a query that matches nothing for some values only")
    (compiler, sql, params), (_compiler, other_sql, other) = compiled
    slots = [[i for i, (p, q) in enumerate(zip(params, other, strict=True)) if p == a and q == b]
             for a, b in zip(first, second, strict=True)]
    placed = {i for slot in slots for i in slot}
    # A value may go unused (a visibility rule that reads no team), which leaves both compilations alike; one
    # that is used other than as a plain parameter ("%30001%", a changed SQL text) makes them differ.
    if sql != other_sql or any(params[i] != other[i] for i in range(len(params)) if i not in placed):
        raise ValueError(f"cannot prepare {sql!r}: a parameter is not passed as a plain query value")
    entry = {"db": queryset.db, "sql": sql, "params": list(params), "slots": slots}
    if rows:
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        converters = compiler.get_converters([col[0] for col in compiler.select[0:compiler.col_count]])
        related = get_related_populators(klass_info, compiler.select, queryset.db)
        entry.update({
            "converters": converters, "compiler": compiler, "related": related,
            "model": klass_info["model"], "start": start, "end": end,
            "init": [f[0].target.attname for f in compiler.select[start:end]],
            "plan": rows_plan(converters, compiler, klass_info, related, connections[queryset.db]),
        })
    return entry


class _Direct:
    """The DB-API cursor under Django's, for the statements compiled here, on SQLite when nobody records queries.

    Django's cursor wrapper rewrites each statement's %s into ? with a regular expression over the whole SQL and
    goes through three layers of wrappers: on a create or a list page that is more than the rest of running the
    statement. Statements are converted once here; errors still come out as Django's (wrap_database_errors), a
    broken transaction still refuses (validate_no_broken_transaction), and whenever queries are recorded
    (DEBUG, django_assert_num_queries, CaptureQueriesContext) or execute wrappers are installed, Django's cursor
    is used instead, so every statement is seen there."""

    _qmark: dict[str, str] = {}

    def __init__(self, connection):
        self.connection = connection
        connection.ensure_connection()
        connection.validate_no_broken_transaction()
        self.cursor = connection.connection.cursor()

    def _convert(self, sql: str) -> str:
        qmark = self._qmark.get(sql)
        if qmark is None:
            # Django's own conversion (SQLiteCursorWrapper.convert_query), once per statement.
            qmark = self._qmark[sql] = re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")
        return qmark

    def execute(self, sql: str, params) -> None:
        qmark = self._convert(sql)
        with self.connection.wrap_database_errors:
            self.cursor.execute(qmark, params)

    def executemany(self, sql: str, rows) -> None:
        with self.connection.wrap_database_errors:
            self.cursor.executemany(self._convert(sql), rows)

    def fetchall(self) -> list:
        with self.connection.wrap_database_errors:
            return self.cursor.fetchall()

    def fetchmany(self, size: int) -> list:
        with self.connection.wrap_database_errors:
            return self.cursor.fetchmany(size)

    @property
    def lastrowid(self):
        return self.cursor.lastrowid

    def __enter__(self) -> "_Direct":
        return self

    def __exit__(self, *exc) -> None:
        self.cursor.close()


def _cursor(connection):
    if connection.vendor == "sqlite" and not connection.queries_logged and not connection.execute_wrappers:
        return _Direct(connection)
    return connection.cursor()


def execute(sql: str, params: list, *, using: str) -> None:
    """Run a statement the caller builds once (identifiers quoted, every value a parameter) as this module runs
    its own: on the direct cursor when allowed (see _Direct)."""
    with _cursor(connections[using]) as cursor:
        cursor.execute(sql, params)


def _params(entry: dict, values) -> list:
    params = list(entry["params"])
    for slots, value in zip(entry["slots"], values, strict=True):
        for i in slots:
            params[i] = value
    return params


def _fetch(entry: dict, params: list, size: int | None = None) -> list:
    with _cursor(connections[entry["db"]]) as cursor:
        cursor.execute(entry["sql"], params)
        return cursor.fetchmany(size) if size else cursor.fetchall()


class PreparedQuery:
    """A SELECT built by `build(*params)` (a queryset), compiled once; `first(*params)` runs it for new values.

    `build` must use its arguments only as query parameters (filter values), never to choose the query's shape;
    whatever else it reads must be part of `key` given to `first()`. With `arity` None, `build` takes as many
    arguments as the call passes values (then their number, too, must follow from `key`).
    """

    def __init__(self, build: Callable[..., QuerySet], arity: int | None):
        self.build, self.arity = build, arity
        self._compiled: dict = {}

    def _arity(self, given: int) -> int:
        return given if self.arity is None else self.arity

    def _compile(self, key, context: dict, given: int):
        entry = _compiled(lambda params: self.build(*params, **context)[:1], self._arity(given))
        self._remember(key, entry)
        return entry

    def _remember(self, key, entry) -> None:
        if len(self._compiled) > 1000:  # keys may hold user attributes: keep the memo bounded
            self._compiled.clear()
        self._compiled[key] = entry

    def _entry(self, key, context: dict, given: int):
        full_key = (key, connections["default"].vendor)
        if full_key in self._compiled:
            return self._compiled[full_key]
        return self._compile(full_key, context, given)

    def first(self, *values, key=None, **context) -> Model | None:
        """The first row as a model instance (with its select_related objects), or None.

        `context` goes to `build` when the query is compiled for a new `key`; it must be fully described by
        `key` (the same key, the same query)."""
        entry = self._entry(key, context, len(values))
        if entry is None:
            return None
        rows = _fetch(entry, _params(entry, values), 1)
        return build_rows(entry, rows)[0] if rows else None


class PreparedList(PreparedQuery):
    """A list — a filtered, ordered queryset with select_related — compiled once: its pages and its count.

    For the lists read on every screen (the agent's queue): running the compiled SQL is a fraction of what the
    ORM spends building it (and _build() makes the page's instances in a fraction of the ORM's time)."""

    def _compile(self, key, context: dict, given: int):
        page = _compiled(lambda params: self.build(*params, **context), self._arity(given))
        if page is not None:
            connection = connections[page["db"]]
            # LIMIT and OFFSET as parameters, so that every page and page size shares the statement.
            page["sql"] += " LIMIT %s OFFSET %s"
            count = page["count"] = _compiled(lambda params: self.build(*params, **context).order_by().values("pk"),
                                              self._arity(given), rows=False)
            # COUNT(*) over the same rows; both databases flatten the subquery into one index range scan. The
            # inner SQL is Django's, with every value a parameter.
            count["sql"] = f"SELECT COUNT(*) FROM ({count['sql']}) {connection.ops.quote_name('c')}"  # noqa: S608
        self._remember(key, page)
        return page

    def count(self, *values, key=None, **context) -> int:
        """How many rows the list has (see first() for `key` and `context`)."""
        entry = self._entry(key, context, len(values))
        if entry is None:
            return 0
        count = entry["count"]
        return _fetch(count, _params(count, values))[0][0]

    def page(self, *values, offset: int, limit: int, key=None, **context) -> list[Model]:
        """Rows offset … offset+limit as model instances with their select_related objects."""
        entry = self._entry(key, context, len(values))
        if entry is None:
            return []
        return build_rows(entry, _fetch(entry, [*_params(entry, values), limit, offset]))


# Recently written moments and their database form, per connection: see PreparedInsert._prepare.
_moments: defaultdict = defaultdict(dict)


class PreparedInsert:
    """INSERTs of whole rows of one model with an auto primary key, compiled once, returning the new pks."""

    def __init__(self, model: type[Model]):
        self.model = model
        meta = model._meta
        self.pk = meta.pk
        self.fields = [f for f in meta.concrete_fields if f is not meta.pk]
        # A JSONField may store None as JSON null rather than SQL NULL: only other fields skip conversion.
        self._columns = [(f, f.attname if _plain_read(f) else None, not isinstance(f, JSONField), _passthrough(f),
                          type(f) in _TEXT, _plain_json(f)) for f in self.fields]
        self._sql: dict = {}
        self._batch: dict = {}
        self._new = [(f.name, f.attname, f if f.is_relation else None, f.get_default) for f in meta.concrete_fields]

    def new(self, **values) -> Model:
        """A new, unsaved instance to save(): `Model(**values)` without Model.__init__, which costs a ticket's
        create more than writing its row. Relations are given as objects (cached on the instance, as
        Model(team=…) caches them) or by attname (`team_id=`); every other field gets its default."""
        model = self.model
        if not no_init_receivers(model):
            return model(**values)
        obj = model.__new__(model)
        obj._state = ModelState()
        data = obj.__dict__
        for name, attname, relation, default in self._new:
            if relation is not None and name in values:
                value = values.pop(name)
                for local, remote in relation.related_fields:
                    data[local.attname] = None if value is None else getattr(value, remote.attname)
                relation.set_cached_value(obj, value)
                if value is not None and relation.one_to_one:
                    relation.remote_field.set_cached_value(value, obj)
            elif attname in values:
                data[attname] = values.pop(attname)
            else:
                data[attname] = default()
        if values:
            raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {', '.join(map(repr, values))}")
        return obj

    def _statement(self, connection, rows: int) -> tuple[str, bool]:
        key = (connection.alias, connection.vendor, rows)
        if key not in self._sql:
            qn = connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in self.fields)
            one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
            returning = (connection.features.can_return_columns_from_insert
                         and (rows == 1 or connection.features.can_return_rows_from_bulk_insert))
            # Identifiers come from the model's metadata and are quoted; every value is a parameter.
            table = qn(self.model._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * rows)}"  # noqa: S608
            if returning:
                sql += f" RETURNING {qn(self.pk.column)}"
            self._sql[key] = (sql, returning)
        return self._sql[key]

    def _prepare(self, obj: Model, connection, memo: dict) -> list | None:
        values = []
        data = obj.__dict__
        for f, attname, plain_null, passthrough, text, json in self._columns:
            # A plain field's pre_save() is getattr(), which here finds the value in the instance's dict.
            value = data[attname] if attname in data else f.pre_save(obj, True)
            if value is None and plain_null:
                values.append(None)  # NULL whatever the field; skips the conversion chain (most clock columns)
                continue
            if type(value) is passthrough:
                values.append(value)  # what get_db_prep_save would return unchanged (see _passthrough)
                continue
            if hasattr(value, "resolve_expression"):
                return None  # an F() or function: only the ORM's compiler knows how to write it
            values.append(db_value(f, value, connection, memo, text, json))
        return values

    def _orm(self, objs: list[Model], single: bool) -> None:
        if single:
            objs[0].save(force_insert=True)
        else:
            self.model._default_manager.bulk_create(objs)

    def save(self, obj: Model) -> Model:
        """Insert one new instance like `Model.objects.create()`; signals go through the ORM when connected."""
        if (signals.pre_save.has_listeners(self.model) or signals.post_save.has_listeners(self.model)
                or obj.pk is not None):
            self._orm([obj], single=True)
            return obj
        self._insert([obj], single=True)
        return obj

    def bulk(self, objs: Iterable[Model]) -> list[Model]:
        """Insert new instances like `bulk_create()` (no signals, as there), in as few statements as allowed."""
        objs = list(objs)
        if not objs:
            return objs
        if any(o.pk is not None for o in objs):
            self._orm(objs, single=False)
            return objs
        self._insert(objs, single=False)
        return objs

    def _batch_size(self, connection, rows: list) -> int:
        # The backend's limit depends on the number of fields (and rows) only; asked once per row count.
        key = (connection.alias, connection.vendor, len(rows))
        if key not in self._batch:
            if len(self._batch) > 1000:  # one entry per batch length seen: keep the memo bounded
                self._batch.clear()
            self._batch[key] = connection.ops.bulk_batch_size(self.fields, rows) or len(rows)
        return self._batch[key]

    def _insert(self, objs: list[Model], single: bool) -> None:
        db = router.db_for_write(self.model)
        connection = connections[db]
        memo = _moments[connection.alias, connection.vendor]
        if len(memo) > 64:
            memo.clear()
        prepared = [self._prepare(o, connection, memo) for o in objs]
        if any(p is None for p in prepared):
            self._orm(objs, single)
            return
        for obj, pk in zip(objs, self.insert_rows(prepared, connection), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, db

    def insert_rows(self, rows: list[list], connection) -> list:
        """Insert rows of values already in the database's form (every column of `fields`, in order) in as few
        statements as allowed; the new pks, in order. For callers that build rows without instances (the SLA
        sweep's notifications)."""
        size = self._batch_size(connection, rows) if len(rows) > 1 else 1
        pks: list = []
        with _cursor(connection) as cursor:
            for begin in range(0, len(rows), size):
                chunk = rows[begin:begin + size]
                sql, returning = self._statement(connection, len(chunk))
                if returning or len(chunk) == 1:
                    cursor.execute(sql, [v for row in chunk for v in row])
                    pks.extend([r[0] for r in cursor.fetchall()] if returning else [cursor.lastrowid])
                else:  # an old SQLite without RETURNING: one row at a time to learn each pk
                    one, _returning = self._statement(connection, 1)
                    for row in chunk:
                        cursor.execute(one, row)
                        pks.append(cursor.lastrowid)
        return [self.pk.to_python(pk) for pk in pks]


class PreparedUpdate:
    """`UPDATE … SET <fields> WHERE pk = …` for many instances in one executemany, like `bulk_update()`
    (no signals, as there) without the CASE WHEN statement the ORM compiles for every batch."""

    def __init__(self, model: type[Model], fields: list[str]):
        meta = model._meta
        self.model, self.pk = model, meta.pk
        self.fields = [meta.get_field(name) for name in fields]
        self._sql: dict = {}

    def run(self, objs: Iterable[Model]) -> int:
        objs = list(objs)
        if not objs:
            return 0
        db = router.db_for_write(self.model)
        connection = connections[db]
        key = (db, connection.vendor)
        if key not in self._sql:
            qn = connection.ops.quote_name
            assignments = ", ".join(f"{qn(f.column)} = %s" for f in self.fields)
            # Identifiers come from the model's metadata and are quoted; every value is a parameter.
            self._sql[key] = (f"UPDATE {qn(self.model._meta.db_table)} SET {assignments} "  # noqa: S608
                              f"WHERE {qn(self.pk.column)} = %s")
        rows, memo = [], {}
        for obj in objs:
            values = [getattr(obj, f.attname) for f in self.fields]
            if any(hasattr(value, "resolve_expression") for value in values):
                self.model._default_manager.bulk_update(objs, [f.name for f in self.fields])
                return len(objs)
            rows.append([None if value is None and not isinstance(f, JSONField)
                         else db_value(f, value, connection, memo)
                         for f, value in zip(self.fields, values, strict=True)] + [obj.pk])
        with _cursor(connection) as cursor:
            if len(rows) == 1:  # one ticket's SLA summary on every change: no executemany machinery for one row
                cursor.execute(self._sql[key], rows[0])
            else:
                cursor.executemany(self._sql[key], rows)
        return len(rows)


class VersionedUpdate:
    """`UPDATE … SET version = version + 1, <changes> WHERE pk = … [AND version = …] RETURNING version`, compiled
    once per set of changed fields: every ticket change bumps its version this way (optimistic locking).

    run() answers the new version, or None when no row matched (the version check failed, or the row is gone).
    Without UPDATE … RETURNING (SQLite older than 3.35), or for a value only the ORM can write (an expression),
    the ORM's update() does it, and the version is read back."""

    def __init__(self, model: type[Model], version: str = "version"):
        self.model, self.version = model, model._meta.get_field(version)
        self._sql: dict = {}

    def run(self, obj: Model, changes: dict, *, version: int | None = None) -> int | None:
        connection = connections[router.db_for_write(self.model)]
        meta = self.model._meta
        fields = [meta.get_field(name) for name in changes]
        values = [value.pk if isinstance(value, Model) else value for value in changes.values()]
        if (not connection.features.can_return_columns_from_insert
                or any(hasattr(value, "resolve_expression") for value in values)):
            return self._orm(obj, changes, version)
        key = (connection.alias, connection.vendor, tuple(changes), version is not None)
        if key not in self._sql:
            qn = connection.ops.quote_name
            column = qn(self.version.column)
            assignments = ", ".join([f"{column} = {column} + 1", *(f"{qn(f.column)} = %s" for f in fields)])
            condition = f"{qn(meta.pk.column)} = %s" + (f" AND {column} = %s" if version is not None else "")
            # Identifiers come from the model's metadata and are quoted; every value is a parameter.
            self._sql[key] = (f"UPDATE {qn(meta.db_table)} SET {assignments} "  # noqa: S608
                              f"WHERE {condition} RETURNING {column}")
        memo: dict = {}
        params = [None if value is None and not isinstance(f, JSONField) else db_value(f, value, connection, memo)
                  for f, value in zip(fields, values, strict=True)]
        params.append(obj.pk)
        if version is not None:
            params.append(version)
        with _cursor(connection) as cursor:
            cursor.execute(self._sql[key], params)
            rows = cursor.fetchall()
        return rows[0][0] if rows else None

    def _orm(self, obj: Model, changes: dict, version: int | None) -> int | None:
        qs = self.model._default_manager.filter(pk=obj.pk)
        if version is not None:
            qs = qs.filter(**{self.version.attname: version})
        if not qs.update(**{self.version.attname: models.F(self.version.attname) + 1}, **changes):
            return None
        return self.model._default_manager.filter(pk=obj.pk).values_list(self.version.attname, flat=True).first()
