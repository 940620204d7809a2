"""Statements the ORM cannot express efficiently. Each names the benchmark that needs it.

`kefu bench utility` (import of readings): after a batch of readings, every touched meter's last reading,
date and running mean are written with one UPDATE … FROM (VALUES …) per few thousand meters; the ORM's
bulk_update builds a CASE per column per row, which is many times slower at this size.
"""

from django.db import connection

CHUNK = 4000


def update_meter_state(rows: list[tuple[int, int, object, int | None]]) -> None:
    """rows: (meter id, last value, last read date, usual consumption)."""
    if connection.vendor == "postgresql":  # VALUES of parameters are text to PostgreSQL until cast
        set_clause = ("last_value = CAST(v.column2 AS integer), last_read_on = CAST(v.column3 AS date), "
                      "usual_consumption = CAST(v.column4 AS integer)")
        key = "CAST(v.column1 AS integer)"
    else:
        set_clause = "last_value = v.column2, last_read_on = v.column3, usual_consumption = v.column4"
        key = "v.column1"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params = [p for row in chunk for p in (row[0], row[1], str(row[2]), row[3])]
            cursor.execute(f"UPDATE utility_meter SET {set_clause} FROM (VALUES {values}) AS v "  # noqa: S608
                           f"WHERE utility_meter.id = {key}", params)
