"""Reporting periods — a day, an ISO week (Monday first) or a calendar month — in the center's time zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

DAY, WEEK, MONTH = "day", "week", "month"
KINDS = (DAY, WEEK, MONTH)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Period:
    """[start, end) of a day, week or month; `now` decides which open callback cases are already due."""

    kind: str
    first: date
    last: date  # inclusive, for display
    start: datetime
    end: datetime
    now: datetime

    @classmethod
    def of(cls, kind: str, day: date, *, now: datetime | None = None) -> "Period":
        if kind == DAY:
            first, after = day, day + timedelta(days=1)
        elif kind == WEEK:
            first = day - timedelta(days=day.weekday())
            after = first + timedelta(days=7)
        else:
            first = day.replace(day=1)
            after = (first + timedelta(days=32)).replace(day=1)
        return cls(kind, first, after - timedelta(days=1), _midnight(first), _midnight(after), now or timezone.now())

    @classmethod
    def month(cls, day: date, *, now: datetime | None = None) -> "Period":
        return cls.of(MONTH, day, now=now)

    def previous(self) -> "Period":
        return Period.of(self.kind, self.first - timedelta(days=1), now=self.now)

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == WEEK:
            return f"{self.first:%Y-%m-%d} – {self.last:%m-%d}"
        return f"{self.first:%Y-%m-%d}"
