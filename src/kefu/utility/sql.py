"""Statements the ORM cannot express efficiently. Each names the benchmark that needs it.

`kefu bench utility` (import of readings, 20,000 rows a second with validation):
- the readings go in with one prepared multi-row INSERT run by executemany; bulk_create compiles every
  value of every row through the field machinery, which alone costs more than the whole target per row;
- after the batch, every touched meter's last reading, date and running mean are written with one
  UPDATE … FROM (VALUES …) per few thousand meters; bulk_update builds a CASE per column per row.
"""

from datetime import UTC, datetime

from django.db import connection

READING_COLUMNS = ("meter_id", "period", "value", "consumption", "read_at", "reader_id", "route_id", "read_class",
                   "source", "photo_ref", "estimated", "flag", "idempotency_key", "created_at")


def db_datetime(moment: datetime):
    """An aware datetime as the backend stores it (SQLite: naive UTC text, as Django writes it)."""
    if connection.vendor == "sqlite":
        return str(moment.astimezone(UTC).replace(tzinfo=None))
    return moment


def db_date(day):
    """A date as the backend takes it (SQLite: ISO text, without the sqlite3 module's deprecated adapter)."""
    return day.isoformat() if connection.vendor == "sqlite" else day


def insert_readings(rows: list[tuple]) -> None:
    """rows: tuples in READING_COLUMNS order, dates as the backend takes them (see db_datetime)."""
    if not rows:
        return
    columns = ", ".join(READING_COLUMNS)
    marks = ", ".join(["%s"] * len(READING_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO utility_reading ({columns}) VALUES ({marks})", rows)  # noqa: S608

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
