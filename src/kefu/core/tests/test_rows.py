"""kefu.core.rows and kefu.core.sqlite_types: list rows made without the ORM are the ORM's instances."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import JSONField
from django.db.models.expressions import Col

from kefu.core import rows, sqlite_types
from kefu.core.prepared import PreparedList
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=dt.UTC)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's stored datetime text")


@sqlite_only
def test_sqlite_datetimes_arrive_aware_utc_and_the_orm_reads_what_it_wrote(world):
    assert sqlite_types.installed
    ticket = world.ticket(occurred_at=AT.astimezone(ZoneInfo("Asia/Shanghai")))
    with connection.cursor() as cursor:
        cursor.execute("SELECT occurred_at, created_at FROM tickets_ticket WHERE id = %s", [ticket.pk])
        occurred, created = cursor.fetchone()
    assert occurred == AT and occurred.tzinfo is not None and occurred.utcoffset() == dt.timedelta(0)
    assert created == Ticket.objects.get(pk=ticket.pk).created_at
    assert Ticket.objects.get(pk=ticket.pk).occurred_at == AT


@pytest.mark.parametrize(("text", "expected"), [
    (b"2026-11-23 09:30:15.123456", AT),
    (b"2026-11-23 09:30:15", AT.replace(microsecond=0)),
    # Text written by something else with its own offset keeps it (Django's parser reads it).
    (b"2026-11-23T17:30:15.123456+08:00", AT),
])
def test_the_converter_reads_every_form_django_reads(text, expected):
    value = sqlite_types._aware_utc(text)
    assert value == expected and value.tzinfo is not None


@pytest.mark.parametrize("text", ["{}", '{"topic": "政策", "n": [1, 2.5, null]}', "[]", '"x"', " {}", "{} ",
                                  "{", "not json", '{"a": 1} trailing', None])
def test_json_columns_convert_as_from_db_value_does(text):
    field = JSONField()
    field.set_attributes_from_name("custom")
    expected = field.from_db_value(text, Col("t", field), connection)
    assert rows._json_or(field.from_db_value)(text, Col("t", field), connection) == expected


def test_a_made_row_has_exactly_the_attributes_and_state_of_the_orms(world):
    world.ticket(title="工单", customer_id=world.customer.pk, assignee_id=world.agent.pk, occurred_at=AT,
                 custom={"topic": "政策"})

    def queue(pk):
        return (Ticket.objects.filter(created_by_id=pk).select_related("ticket_type", "team", "assignee", "customer")
                .order_by("id"))

    listed = PreparedList(queue, 1)
    [mine], [theirs] = listed.page(world.agent.pk, offset=0, limit=5), list(queue(world.agent.pk))
    assert listed._compiled[(None, connection.vendor)]["plan"] is not None  # made here, not by the ORM

    def attributes(obj):
        return {k: v for k, v in vars(obj).items() if k != "_state"}

    assert attributes(mine) == attributes(theirs) and set(vars(mine)) == set(vars(theirs))
    assert (mine._state.adding, mine._state.db) == (theirs._state.adding, theirs._state.db) == (False, "default")
    for name in ("ticket_type", "team", "assignee", "customer"):
        assert attributes(getattr(mine, name)) == attributes(getattr(theirs, name)), name
    assert mine.custom == {"topic": "政策"} and mine.occurred_at == AT
    assert mine.customer._state.fields_cache == {} and not mine.customer._state.adding
