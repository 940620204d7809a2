"""SQL the KPI definitions need beyond what the ORM writes, each for `kefu bench quality` (a month of KPIs for
500 agents over a million contacts): the gap to a matter's next ticket (a window function) and call seconds
without Django's per-row Python date functions on SQLite."""

from datetime import datetime

from django.db import connection
from django.db.models import FloatField, Func


class Seconds(Func):
    """Seconds from the second datetime column to the first, in SQL on both databases."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)",
                           arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))",
                           arg_joiner=" - ", **extra)


_GAP_DAYS = {
    "sqlite": "julianday(next_at) - julianday(created_at)",
    "postgresql": "EXTRACT(EPOCH FROM (next_at - created_at)) / 86400.0",
}

# A matter is one customer (or, without a customer record, one calling number) with one ticket type; each ticket
# is resolved at first contact unless the matter's next ticket came within the window.
_FCR = """
SELECT created_by_id, SUM(CASE WHEN next_at IS NULL OR {gap} > %s THEN 1 ELSE 0 END), COUNT(*)
FROM (
    SELECT created_by_id, created_at,
           LEAD(created_at) OVER (
               PARTITION BY customer_id, CASE WHEN customer_id IS NULL THEN contact_phone END, ticket_type_id
               ORDER BY created_at, id) AS next_at
    FROM tickets_ticket
    WHERE created_at >= %s AND created_at < %s AND (customer_id IS NOT NULL OR contact_phone <> '')
) matters
WHERE created_at >= %s AND created_at < %s AND created_by_id IS NOT NULL
GROUP BY created_by_id
"""


def first_contact_counts(start: datetime, end: datetime, horizon: datetime, days: int) -> list[tuple[int, int, int]]:
    """(agent, resolved at first contact, tickets) for tickets opened in [start, end); later tickets up to
    `horizon` count as repeats."""
    adapt = connection.ops.adapt_datetimefield_value
    sql = _FCR.format(gap=_GAP_DAYS[connection.vendor])
    with connection.cursor() as cursor:
        cursor.execute(sql, [days, adapt(start), adapt(horizon), adapt(start), adapt(end)])
        return [(agent, int(ok or 0), int(n)) for agent, ok, n in cursor.fetchall()]
