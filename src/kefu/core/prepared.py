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

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import count

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import JSONField, Model, QuerySet, signals
from django.db.models.query import get_related_populators

# Stand-ins for the parameters while compiling: integers no caller passes, found again in the compiled params.
_sentinels = count(-7_700_000_001, -1)


# Field classes whose get_db_prep_save() returns a value of this exact type unchanged, on every backend: the
# conversion chain (get_prep_value → to_python → the backend's adapt_*) is an identity for them.
_IDENTITY = {
    models.CharField: str, models.TextField: str, models.SlugField: str,
    models.IntegerField: int, models.SmallIntegerField: int, models.BigIntegerField: int,
    models.PositiveIntegerField: int, models.PositiveSmallIntegerField: int, models.PositiveBigIntegerField: int,
    models.AutoField: int, models.BigAutoField: int, models.SmallAutoField: int, models.BooleanField: bool,
}


def _passthrough(field) -> type | None:
    """The value type that field writes as it is, or None; exact classes only, never a custom subclass."""
    if type(field) is models.ForeignKey:
        return _passthrough(field.target_field)
    return _IDENTITY.get(type(field))


class PreparedQuery:
    """A SELECT built by `build(*params)` (a queryset), compiled once; `first(*params)` runs it for new values.

    `build` must use its arguments only as query parameters (filter values), never to choose the query's shape;
    whatever else it reads must be part of `key` given to `first()`.
    """

    def __init__(self, build: Callable[..., QuerySet], arity: int):
        self.build, self.arity = build, arity
        self._compiled: dict = {}

    def _compile(self, key, context: dict):
        sentinels = [next(_sentinels) for _ in range(self.arity)]
        queryset = self.build(*sentinels, **context)[:1]
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. visible_to() answered none(): nothing to run, ever, for this key
            self._remember(key, None)
            return None
        slots = [[i for i, p in enumerate(params) if p == s] for s in sentinels]
        if not all(slots):
            raise ValueError(f"cannot prepare {sql!r}: a parameter is not passed as a plain query value")
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fields = [col[0] for col in compiler.select[0:compiler.col_count]]
        entry = {
            "converters": compiler.get_converters(fields),
            "db": queryset.db, "sql": sql, "params": list(params), "slots": slots, "compiler": compiler,
            "model": klass_info["model"], "start": start, "end": end,
            "init": [f[0].target.attname for f in compiler.select[start:end]],
            "related": get_related_populators(klass_info, compiler.select, queryset.db),
        }
        self._remember(key, entry)
        return entry

    def _remember(self, key, entry) -> None:
        if len(self._compiled) > 1000:  # keys may hold user attributes: keep the memo bounded
            self._compiled.clear()
        self._compiled[key] = entry

    def first(self, *values, key=None, **context) -> Model | None:
        """The first row as a model instance (with its select_related objects), or None.

        `context` goes to `build` when the query is compiled for a new `key`; it must be fully described by
        `key` (the same key, the same query)."""
        full_key = (key, connections["default"].vendor)
        entry = self._compiled[full_key] if full_key in self._compiled else self._compile(full_key, context)
        if entry is None:
            return None
        params = list(entry["params"])
        for slots, value in zip(entry["slots"], values, strict=True):
            for i in slots:
                params[i] = value
        with connections[entry["db"]].cursor() as cursor:
            cursor.execute(entry["sql"], params)
            rows = cursor.fetchmany(1)
        if not rows:
            return None
        row = rows[0]
        if entry["converters"]:
            row = next(iter(entry["compiler"].apply_converters(rows, entry["converters"])))
        obj = entry["model"].from_db(entry["db"], entry["init"], row[entry["start"]:entry["end"]])
        for populator in entry["related"]:
            populator.populate(row, obj)
        return obj


class PreparedInsert:
    """INSERTs of whole rows of one model with an auto primary key, compiled once, returning the new pks."""

    def __init__(self, model: type[Model]):
        self.model = model
        meta = model._meta
        self.pk = meta.pk
        self.fields = [f for f in meta.concrete_fields if f is not meta.pk]
        # A JSONField may store None as JSON null rather than SQL NULL: only other fields skip conversion.
        self._columns = [(f, not isinstance(f, JSONField), _passthrough(f)) for f in self.fields]
        self._sql: dict = {}

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
        for f, plain_null, passthrough in self._columns:
            value = f.pre_save(obj, True)
            if value is None and plain_null:
                values.append(None)  # NULL whatever the field; skips the conversion chain (most clock columns)
                continue
            if type(value) is passthrough:
                values.append(value)  # what get_db_prep_save would return unchanged (see _passthrough)
                continue
            if hasattr(value, "resolve_expression"):
                return None  # an F() or function: only the ORM's compiler knows how to write it
            if isinstance(value, datetime):
                # A batch repeats the same moment (created_at, updated_at, sent_at …): convert each once.
                key = (type(f), value)
                if key not in memo:
                    memo[key] = f.get_db_prep_save(value, connection)
                values.append(memo[key])
                continue
            values.append(f.get_db_prep_save(value, connection))
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

    def _insert(self, objs: list[Model], single: bool) -> None:
        db = router.db_for_write(self.model)
        connection = connections[db]
        memo: dict = {}
        prepared = [self._prepare(o, connection, memo) for o in objs]
        if any(p is None for p in prepared):
            self._orm(objs, single)
            return
        size = connection.ops.bulk_batch_size(self.fields, objs) or len(objs)
        with connection.cursor() as cursor:
            for begin in range(0, len(objs), size):
                chunk, rows = objs[begin:begin + size], prepared[begin:begin + size]
                sql, returning = self._statement(connection, len(chunk))
                if returning or len(chunk) == 1:
                    cursor.execute(sql, [v for row in rows for v in row])
                    pks = [r[0] for r in cursor.fetchall()] if returning else [cursor.lastrowid]
                else:  # an old SQLite without RETURNING: one row at a time to learn each pk
                    one, _returning = self._statement(connection, 1)
                    pks = []
                    for row in rows:
                        cursor.execute(one, row)
                        pks.append(cursor.lastrowid)
                for obj, pk in zip(chunk, pks, strict=True):
                    obj.pk = self.pk.to_python(pk)
                    obj._state.adding, obj._state.db = False, db


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
        rows = []
        for obj in objs:
            values = [getattr(obj, f.attname) for f in self.fields]
            if any(hasattr(value, "resolve_expression") for value in values):
                self.model._default_manager.bulk_update(objs, [f.name for f in self.fields])
                return len(objs)
            rows.append([None if value is None and not isinstance(f, JSONField)
                         else f.get_db_prep_save(value, connection)
                         for f, value in zip(self.fields, values, strict=True)] + [obj.pk])
        with connection.cursor() as cursor:
            cursor.executemany(self._sql[key], rows)
        return len(rows)
