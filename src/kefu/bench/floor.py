"""The floor: what the database itself costs for the same writes and reads, without Django or the services."""

import dataclasses
import sqlite3

from django.conf import settings
from django.db import connection

from kefu.accounts.models import Team, User
from kefu.bench.common import OpTimes
from kefu.bench.data import Plan
from kefu.customers.models import Customer
from kefu.sla.models import TicketClock
from kefu.tickets.models import Ticket, TicketEvent, TicketMessage, TicketType

T, E, M = Ticket._meta.db_table, TicketEvent._meta.db_table, TicketMessage._meta.db_table
C = TicketClock._meta.db_table
TT, TEAM, USER, CUST = TicketType._meta.db_table, Team._meta.db_table, User._meta.db_table, Customer._meta.db_table

# Table names come from model metadata, never from input, so building SQL from them is safe.
_JOINS = (f"FROM {T} t JOIN {TT} tt ON tt.id = t.ticket_type_id "
          f"LEFT JOIN {TEAM} tm ON tm.id = t.team_id LEFT JOIN {USER} u ON u.id = t.assignee_id "
          f"LEFT JOIN {CUST} c ON c.id = t.customer_id LEFT JOIN {TEAM} dt ON dt.id = t.dispatched_team_id ")
# The same query ticket_page() runs for "my open tickets": the count, then page 1 with the same joins and the
# same columns (the ticket and its type whole; of the team, assignee and customer what the list shows).
# Both forms of the open test: the bare one matches a partial index (WHERE is_open), the equality one a
# composite index on (assignee, is_open, …), so the floor gets the best plan whichever the schema has.
_MINE = "t.assignee_id = %s AND t.is_open AND t.is_open = %s"
COUNT_SQL = f"SELECT COUNT(*) FROM {T} t WHERE {_MINE}"  # noqa: S608
_ROW = ("t.*, tt.*, tm.id, tm.name, u.id, u.username, u.first_name, u.last_name, u.display_name, u.agent_no, "
        "c.id, c.name, c.tier, dt.id, dt.name")
PAGE_SQL = (f"SELECT {_ROW} {_JOINS}"  # noqa: S608
            f"WHERE {_MINE} ORDER BY t.priority DESC, t.created_at, t.id LIMIT 20")
DETAIL_SQL = (f"SELECT t.*, tt.*, tm.*, u.*, c.*, dt.*, cb.* {_JOINS}"  # noqa: S608
              f"LEFT JOIN {USER} cb ON cb.id = t.created_by_id WHERE t.id = %s")
EVENTS_SQL = (f"SELECT e.*, a.* FROM {E} e LEFT JOIN {USER} a ON a.id = e.actor_id "  # noqa: S608
              "WHERE e.ticket_id = %s ORDER BY e.created_at, e.id")
MESSAGES_SQL = f"SELECT * FROM {M} WHERE ticket_id = %s"  # noqa: S608


def sqlite_pragmas() -> list[str]:
    """The PRAGMAs kefu's settings run on every SQLite connection (WAL, synchronous=NORMAL, …)."""
    init = settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", "")
    return [pragma.strip() for pragma in init.split(";") if pragma.strip()]


def connect_sqlite(path: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE/COMMIT ourselves, as Django does with IMMEDIATE mode.
    conn = sqlite3.connect(path, isolation_level=None, timeout=20)
    for pragma in sqlite_pragmas():
        conn.execute(pragma)
    return conn


def snapshot_sqlite(source: str, target: str) -> None:
    """Copy the bench database as it is (schema, ticket types, org, customers) into a scratch file."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


_TICKET_COLUMNS = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
_EVENT_COLUMNS = [f for f in TicketEvent._meta.concrete_fields if not f.primary_key]
_CLOCK_COLUMNS = [f for f in TicketClock._meta.concrete_fields if not f.primary_key]
_TICKET_ATTNAMES = {f.attname for f in _TICKET_COLUMNS}
INSERT_TICKET = (f"INSERT INTO {T} ({', '.join(f.column for f in _TICKET_COLUMNS)}) "  # noqa: S608
                 f"VALUES ({', '.join('?' for _ in _TICKET_COLUMNS)})")
INSERT_CLOCK = (f"INSERT INTO {C} ({', '.join(f.column for f in _CLOCK_COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' for _ in _CLOCK_COLUMNS)})")
INSERT_EVENT = (f"INSERT INTO {E} ({', '.join(f.column for f in _EVENT_COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' for _ in _EVENT_COLUMNS)})")


def _db_values(instance, columns) -> list:
    # Django's own conversion (datetimes as UTC text, JSON, defaults of columns the plan does not set), so the
    # floor writes byte-for-byte the values the ORM would; this runs outside the timed part.
    return [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in columns]


def prepared_rows(plan: Plan, type_ids: dict[str, int], clocks: bool = False) -> tuple[list, list, list, int, int]:
    """The rows create_ticket() writes for this plan, in column order: ticket, created event and, with
    `clocks`, the SLA clocks its policy starts (first response, resolution)."""
    d = plan.data
    status = "assigned" if d.assignee_id else "new"
    same = {f.name: getattr(d, f.name) for f in dataclasses.fields(d) if f.name in _TICKET_ATTNAMES}
    ticket = Ticket(**same, ticket_type_id=type_ids[d.type], status=status, is_open=True,
                    created_by_id=plan.actor.pk, created_at=plan.at, updated_at=plan.at)
    event = TicketEvent(ticket_id=0, version=1, code="created", actor_id=plan.actor.pk, created_at=plan.at,
                        params={"type": d.type, "channel": d.channel, "priority": d.priority, "status": status,
                                "major": d.is_major, "team": d.team_id, "assignee": d.assignee_id, "parent": None})
    slot = next(i for i, f in enumerate(_EVENT_COLUMNS) if f.attname == "ticket_id")
    clock_rows, clock_slot = [], next(i for i, f in enumerate(_CLOCK_COLUMNS) if f.attname == "ticket_id")
    if clocks:
        # The same policy and deadlines the SLA listener computes, worked out here outside the timed part.
        from kefu.sla import clocks as sla_clocks
        from kefu.sla import policies
        from kefu.sla.models import ClockKind

        ticket.customer = Customer.objects.get(pk=d.customer_id) if d.customer_id else None
        loaded = policies.match(ticket)
        kinds = (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION) if loaded else ()
        started = [sla_clocks.start(ticket, kind, loaded, plan.at) for kind in kinds]
        clock_rows = [_db_values(c, _CLOCK_COLUMNS) for c in started if c is not None]
    return (_db_values(ticket, _TICKET_COLUMNS), _db_values(event, _EVENT_COLUMNS), clock_rows, slot,
            clock_slot)


def insert_floor(path: str, plans, type_ids: dict[str, int], progress, total: int, clocks: bool = False) -> OpTimes:
    """Insert each plan's ticket row and created event (and its clocks), one BEGIN IMMEDIATE … COMMIT each."""
    conn = connect_sqlite(path)
    times = OpTimes()
    label = "raw sqlite insert" + (" with clocks" if clocks else "")
    try:
        for i, plan in enumerate(plans, 1):
            ticket_row, event_row, clock_rows, slot, clock_slot = prepared_rows(plan, type_ids, clocks)
            with times.timing():
                conn.execute("BEGIN IMMEDIATE")
                event_row[slot] = ticket_id = conn.execute(INSERT_TICKET, ticket_row).lastrowid
                conn.execute(INSERT_EVENT, event_row)
                if clock_rows:
                    for row in clock_rows:
                        row[clock_slot] = ticket_id
                    conn.executemany(INSERT_CLOCK, clock_rows)
                conn.execute("COMMIT")
            progress.tick(label, i, total, times.rate)
    finally:
        conn.close()
    return times


class RawReader:
    """The list and detail queries in plain SQL: stdlib sqlite3 on SQLite, the Django cursor's psycopg else."""

    def __init__(self, vendor: str, path: str):
        self.vendor = vendor
        self.conn = connect_sqlite(path) if vendor == "sqlite" else None

    def _all(self, sql: str, params: tuple) -> list:
        if self.conn is not None:
            return self.conn.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def my_open(self, user_id: int) -> tuple[int, list]:
        count = self._all(COUNT_SQL, (user_id, True))[0][0]
        return count, self._all(PAGE_SQL, (user_id, True))

    def detail(self, ticket_id: int) -> tuple:
        return (self._all(DETAIL_SQL, (ticket_id,)), self._all(EVENTS_SQL, (ticket_id,)),
                self._all(MESSAGES_SQL, (ticket_id,)))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def query_plan(queryset) -> list[str]:
    """SQLite's plan for a Django queryset, to show whether the queue index is used."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]
