"""A rostered day's attendance verdict from times alone (no Django): late, early leave, absent, overtime.

Inputs are aware datetimes: the shift's start and end, the first clock-in and the last clock-out found for
it (web punches, approved corrections or presence states), and the kind of approved leave covering the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Verdict:
    status: str  # present, late, early, late_early, absent, leave
    late_minutes: int = 0
    early_minutes: int = 0
    overtime_minutes: int = 0
    worked_minutes: int = 0


def _minutes(a: datetime, b: datetime) -> int:
    return int((b - a).total_seconds() // 60)


def verdict(*, start: datetime, end: datetime, clock_in: datetime | None, clock_out: datetime | None,
            leave: str | None = None, late_grace: int = 5, early_grace: int = 5, overtime_after: int = 30,
            now: datetime | None = None) -> Verdict:
    """The day's verdict. A shift not yet over with no clock-out is not an early leave (it is still going)."""
    if leave:
        return Verdict(status="leave")
    if clock_in is None or (clock_out is not None and clock_out <= start) or clock_in >= end:
        if now is not None and now < start:
            return Verdict(status="upcoming")
        return Verdict(status="absent")
    late = max(0, _minutes(start, clock_in))
    late = late if late > late_grace else 0
    running = clock_out is None and now is not None and now < end
    early = 0 if running or clock_out is None else max(0, _minutes(clock_out, end))
    early = early if early > early_grace else 0
    if clock_out is None and not running:
        early = 0  # no clock-out at all: counted as present to the end, to be corrected by the agent
    out = clock_out or (now if running else end)
    worked = max(0, _minutes(max(clock_in, start), min(out, end)))
    extra = max(0, _minutes(end, out)) if clock_out else 0
    overtime = extra if extra >= overtime_after else 0
    status = "late_early" if late and early else "late" if late else "early" if early else "present"
    return Verdict(status=status, late_minutes=late, early_minutes=early, overtime_minutes=overtime,
                   worked_minutes=worked)
