"""Model instances from the rows of a compiled query (kefu.core.prepared), as the ORM makes them, for less.

A list page turns a few dozen rows into a hundred instances. Django does it with Model.__init__ per instance
(more than the rest of reading the row), apply_converters() per value and a populator per relation. Here each
model of a query gets a row maker: a function generated once per compiled query, as dataclasses generates
__init__, that reads its columns by position straight into a new instance's __dict__ and converts only the
columns that need it. The result is what Model.from_db() makes (same attributes, same _state); whenever that
cannot be guaranteed — init signal receivers, a model with its own from_db(), select_related two levels deep —
the ORM's own way is used instead.
"""

import json
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.expressions import Col

from kefu.core import sqlite_types

RowMaker = Callable[[tuple, object], Model]


def no_init_receivers(model: type[Model]) -> bool:
    # The emptiness test first: it is what a run without any init receiver (kefu's own case) answers with.
    if not signals.pre_init.receivers and not signals.post_init.receivers:
        return True
    return not (signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model))


def _own_from_db(model: type[Model]) -> bool:
    return model.from_db.__func__ is not Model.from_db.__func__


def plan(converters: dict, compiler, klass_info: dict, related: list, connection) -> dict | None:
    """How build() makes a query's instances: a maker for its model and one per select_related model; None when
    the ORM must (select_related deeper than one level, or a model that makes its instances its own way)."""
    if any(p.reorder_for_init or p.related_populators for p in related):
        return None
    model = klass_info["model"]
    if any(_own_from_db(m) for m in (model, *(p.model_cls for p in related))):
        return None
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init = [f[0].target.attname for f in compiler.select[start:end]]
    db = compiler.using
    return {
        "models": (model, *(p.model_cls for p in related)),
        "own": _maker(model, db, init, start, _conversions(converters, start, end, connection)),
        "related": [(p, _maker(p.model_cls, db, p.init_list, p.cols_start,
                               _conversions(converters, p.cols_start, p.cols_end, connection)),
                     _cache_name(p), p.cols_start + p.pk_idx) for p in related],
    }


def build(entry: dict, rows: list) -> list[Model]:
    """The rows' model instances with their select_related objects, as the ORM makes them; each related object
    made once however many rows share it (every row of "my tickets" has the same assignee, most the same few
    types)."""
    made = entry["plan"]
    # Checked on each call: an init signal receiver may be connected after compiling.
    if made is None or not all(no_init_receivers(m) for m in made["models"]):
        return _orm_build(entry, rows)
    connection = connections[entry["db"]]
    own, related = made["own"], made["related"]
    seen: dict = {}
    objs = []
    for row in rows:
        obj = own(row, connection)
        cache = obj._state.fields_cache
        for populator, make, cache_name, pk_at in related:
            pk = row[pk_at]
            rel = None
            if pk is not None:
                rel = seen.get((pk_at, pk))
                if rel is None:
                    rel = seen[pk_at, pk] = make(row, connection)
            if cache_name is not None:
                cache[cache_name] = rel  # what the setters below do for a forward many-to-one relation
                continue
            populator.local_setter(obj, rel)
            if rel is not None:
                populator.remote_setter(rel, obj)
        objs.append(obj)
    return objs


def _orm_build(entry: dict, rows: list) -> list[Model]:
    model, db, init, start, end = entry["model"], entry["db"], entry["init"], entry["start"], entry["end"]
    if entry["converters"]:
        rows = entry["compiler"].apply_converters(rows, entry["converters"])
    objs = []
    for row in rows:
        obj = model.from_db(db, init, row[start:end])
        for populator in entry["related"]:
            populator.populate(row, obj)
        objs.append(obj)
    return objs


def _cache_name(populator) -> str | None:
    """Where a forward foreign key (not one-to-one) caches its object, when the populator only sets that."""
    field = getattr(populator.local_setter, "__self__", None)
    forward = isinstance(field, models.ForeignKey) and not field.one_to_one
    if forward and populator.local_setter == field.set_cached_value:
        return field.cache_name
    return None


def _conversions(converters: dict, begin: int, end: int, connection) -> tuple[set, dict]:
    """The converters of columns begin … end, by position in that slice: (datetimes that only need their time
    zone, {position: (converters, expression)} for the rest).

    On SQLite Django registers sqlite3 converters for its "datetime" and "bool" column types, so those values
    arrive parsed: its datetime converter then only adds UTC — with the replace() that make_aware() does, after
    three calls and two settings look-ups, or nothing at all where kefu.core.sqlite_types parses them aware —
    and its boolean one returns them unchanged. On a list they run for
    every column of every row, so they are done here directly; other values go through Django's converters."""
    ops, quick = connection.ops, connection.vendor == "sqlite" and settings.USE_TZ
    zoned, other = set(), {}
    for pos, (convs, expression) in converters.items():
        if not begin <= pos < end:
            continue
        if quick and isinstance(expression, Col) and convs == [ops.convert_datetimefield_value]:
            if not sqlite_types.installed:  # else they arrive aware already: nothing to do
                zoned.add(pos - begin)
        elif quick and isinstance(expression, Col) and convs == [ops.convert_booleanfield_value]:
            continue
        elif isinstance(expression, Col) and convs == [expression.target.from_db_value] and _plain_json(expression):
            other[pos - begin] = ([_json_or(convs[0])], expression)
        else:
            other[pos - begin] = (convs, expression)
    return zoned, other


def _plain_json(column: Col) -> bool:
    field = column.target
    return type(field) is models.JSONField and field.decoder is None


_scan_json = json.JSONDecoder().scan_once  # the C scanner json.loads() ends in, without its three Python layers


def _json_or(from_db_value):
    """A JSONField's column value as from_db_value() returns it: a document that is exactly one JSON value is
    scanned directly (~1 µs less each; a list row has one, its type another); anything else — NULL, leading or
    trailing space, invalid JSON, a value the driver already decoded — goes to from_db_value() itself."""

    def convert(value, expression, connection):
        if type(value) is str:
            try:
                decoded, end = _scan_json(value, 0)
            except (StopIteration, ValueError):
                return from_db_value(value, expression, connection)
            if end == len(value):
                return decoded
        return from_db_value(value, expression, connection)

    return convert


def _zone(value, connection):
    """A SQLite datetime as Django returns it: the sqlite3 converter's naive UTC value made aware."""
    if type(value) is datetime and value.tzinfo is None:
        return value.replace(tzinfo=connection.timezone)
    return connection.ops.convert_datetimefield_value(value, None, connection)


def _maker(model: type[Model], db: str, attnames: list[str], begin: int,
           conversions: tuple[set, dict]) -> RowMaker:
    """`make(row, connection)`: the instance of `model` in row[begin:begin + len(attnames)], as Model.from_db()
    would make it, without Model.__init__ (as unpickling makes instances)."""
    zoned, other = conversions
    env = {"_new": model.__new__, "_model": model, "_new_state": ModelState.__new__, "_State": ModelState,
           "_db": db, "_zone": _zone}
    items = []
    for i, attname in enumerate(attnames):
        value = f"row[{begin + i}]"
        if i in zoned:
            value = f"(None if (v := {value}) is None else _zone(v, connection))"
        elif i in other:
            convs, env[f"_e{i}"] = other[i]
            for k, converter in enumerate(convs):
                env[f"_c{i}_{k}"] = converter
                value = f"_c{i}_{k}({value}, _e{i}, connection)"
        items.append(f"{attname!r}: {value}")
    # Attribute names come from the model's metadata (repr() makes each a string literal), positions are
    # integers, converters are passed in `env`: nothing from outside the code reaches this source.
    source = (
        "def make(row, connection):\n"
        "    state = _new_state(_State)\n"
        "    state.__dict__ = {'db': _db, 'adding': False, 'fields_cache': {}}\n"
        "    obj = _new(_model)\n"
        f"    obj.__dict__ = {{'_state': state, {', '.join(items)}}}\n"
        "    return obj\n"
    )
    exec(compile(source, f"<row maker {model._meta.label}>", "exec"), env)  # noqa: S102
    return env["make"]
