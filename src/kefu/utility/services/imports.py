"""Readings imported from a file or a remote-reading system: every row checked first, then all stored.

A bad row (unknown meter, malformed number or time) rejects the whole file naming each bad line, so a
corrected file can simply be imported again; a meter already read for the period is skipped (counted), so
importing the same file twice stores each reading once.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.utility import sql
from kefu.utility.models import Meter, Reading, ReadingFlag, ReadingSource
from kefu.utility.services.common import require_office
from kefu.utility.services.readings import check, next_usual

BATCH = 5000
MAX_LISTED = 50
COLUMNS = {"meter": ("meter", "表号"), "value": ("value", "reading", "读数"), "read_at": ("read_at", "抄表时间"),
           "photo_ref": ("photo_ref", "照片")}


@dataclass
class ReadingRow:
    """One line of an import: the meter number, the dial, when it was read, an optional photo reference."""

    meter: str
    value: int | str
    read_at: datetime | str
    photo_ref: str = ""


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    lower_than_last: int = 0
    outside_band: int = 0
    meters: int = 0
    by_flag: dict = field(default_factory=dict)


def rows_from_csv(path: Path) -> list[ReadingRow]:
    """Rows of a CSV file whose header names the columns in English or Chinese (表号, 读数, 抄表时间, 照片)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        names = {key: next((c for c in reader.fieldnames or [] if c.strip() in aliases), None)
                 for key, aliases in COLUMNS.items()}
        return [ReadingRow(meter=row.get(names["meter"] or "", ""), value=row.get(names["value"] or "", ""),
                           read_at=row.get(names["read_at"] or "", ""), photo_ref=row.get(names["photo_ref"] or "")
                           or "") for row in reader]


def _parse(row: ReadingRow) -> tuple[str, int, datetime]:
    value = row.value
    if isinstance(value, str):
        value = int(value.strip()) if value.strip().isdigit() else None
    if not isinstance(value, int) or value < 0:
        raise ValueError("value")
    moment = row.read_at if isinstance(row.read_at, datetime) else parse_datetime(str(row.read_at).strip())
    if moment is None:
        raise ValueError("read_at")
    return str(row.meter).strip(), value, timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _meters(numbers: set[str]) -> dict[str, list]:
    """number → [id, last value, usual, route id, read class, last read on] of meters in service."""
    found, numbers = {}, list(numbers)
    for start in range(0, len(numbers), BATCH):
        for pk, number, *state in Meter.objects.filter(number__in=numbers[start:start + BATCH],
                                                       status=Meter.Status.ACTIVE).values_list(
                "id", "number", "last_value", "usual_consumption", "route_id", "read_class", "last_read_on"):
            found[number] = [pk, *state]
    return found


def _checked(rows: Iterable[ReadingRow]) -> tuple[list[tuple], dict[str, list]]:
    """Parse every row and resolve its meter; 422 import_rejected listing the bad lines (header is line 1)."""
    parsed, errors, tz = [], [], timezone.get_current_timezone()
    for line, row in enumerate(rows, start=2):
        try:
            number, value, moment = _parse(row)
            parsed.append((number, value, moment, (row.photo_ref or "")[:200], line,
                           moment.astimezone(tz).date().replace(day=1)))
        except ValueError as exc:
            errors.append({"line": line, "field": str(exc), "code": "invalid"})
    meters = _meters({p[0] for p in parsed})
    errors += [{"line": p[4], "field": "meter", "code": "unknown_meter"} for p in parsed if p[0] not in meters]
    if errors:
        errors.sort(key=lambda e: e["line"])
        raise ValidationFailed(_("Some lines cannot be imported; nothing was stored."), code="import_rejected",
                               field="file", params={"errors": errors[:MAX_LISTED], "count": len(errors)})
    return parsed, meters


def _already_read(meter_ids: list[int], periods: set) -> set[tuple[int, object]]:
    done = set()
    for start in range(0, len(meter_ids), BATCH):
        done.update(Reading.objects.filter(meter_id__in=meter_ids[start:start + BATCH], period__in=periods)
                    .values_list("meter_id", "period"))
    return done


def _store(batch: list[tuple], meters: dict, actor, source: str, at: datetime, result: ImportResult,
           seen: set) -> None:
    ids = sorted({meters[p[0]][0] for p in batch})
    periods = {p[5] for p in batch}
    done = _already_read(ids, periods) | seen
    tz, created, reader_id = timezone.get_current_timezone(), sql.db_datetime(at), getattr(actor, "pk", None)
    new = []
    for number, value, read_at, photo, _line, period in batch:
        state = meters[number]
        if (state[0], period) in done:
            result.skipped += 1
            continue
        done.add((state[0], period))
        seen.add((state[0], period))
        consumption, flag = check(value, state[1], state[2])
        result.by_flag[flag] = result.by_flag.get(flag, 0) + 1
        new.append((state[0], sql.db_date(period), value, consumption, sql.db_datetime(read_at), reader_id,
                    state[3], state[4], source, photo, False, flag, None, created))
        state[1], state[2] = value, next_usual(state[2], consumption, flag)
        state[5] = read_at.astimezone(tz).date()
        if len(state) == 6:
            state.append(True)  # touched: its row is written at the end
    sql.insert_readings(new)
    result.created += len(new)


@transaction.atomic
def import_readings(*, actor: User | None, rows: Iterable[ReadingRow], source: str = ReadingSource.IMPORT,
                    now: datetime | None = None, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Check every row, then store the readings in time order per meter, flagged as a reader's would be."""
    require_office(actor)
    if source not in (ReadingSource.IMPORT, ReadingSource.REMOTE):
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="source")
    parsed, meters = _checked(rows)
    if not parsed:
        raise ValidationFailed(_("The file is empty."), code="empty_file", field="file")
    parsed.sort(key=lambda p: (meters[p[0]][0], p[2]))
    at, result, seen = now or timezone.now(), ImportResult(), set()
    for start in range(0, len(parsed), BATCH):
        _store(parsed[start:start + BATCH], meters, actor, source, at, result, seen)
        if progress:
            progress(min(start + BATCH, len(parsed)))
    touched = [(s[0], s[1], s[5], s[2]) for s in meters.values() if len(s) > 6]
    sql.update_meter_state(touched)
    result.meters = len(touched)
    result.lower_than_last = result.by_flag.get(ReadingFlag.LOWER_THAN_LAST, 0)
    result.outside_band = result.by_flag.get(ReadingFlag.OUTSIDE_BAND, 0)
    return result
