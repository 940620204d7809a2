"""Working-time arithmetic on business calendars: open blocks per weekday, China's statutory holidays and
make-up working days (调休) from `chinesecalendar`, and dates an administrator overrides.

Pure Python with per-day caching; no database access, so the sweeper and the benchmark can call it in a loop.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from chinese_calendar import constants as cn_constants

MINUTES_PER_DAY = 24 * 60
CN_YEARS = range(min(cn_constants.holidays).year, max(cn_constants.holidays).year + 1)

Block = tuple[int, int]  # minutes since midnight, end exclusive; (0, 1440) is the whole day


def parse_hours(text: str) -> list[Block]:
    """'09:00-12:00,13:00-18:00' → [(540, 720), (780, 1080)]; raises ValueError on anything else."""
    blocks = []
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", part)
        if not match:
            raise ValueError(f"not a time range: {part!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not (0 <= start < end <= MINUTES_PER_DAY) or m1 > 59 or m2 > 59:
            raise ValueError(f"not a time range within one day: {part!r}")
        blocks.append((start, end))
    blocks.sort()
    for (_s1, e1), (s2, _e2) in zip(blocks, blocks[1:], strict=False):
        if s2 < e1:
            raise ValueError(f"time ranges overlap: {text!r}")
    return blocks


def format_hours(blocks: list[Block]) -> str:
    return ",".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in blocks)


@dataclass(frozen=True)
class Target:
    """A time limit: N working minutes, or N working days ('3wd')."""

    amount: int
    unit: str  # "m" (working minutes) or "wd" (working days)

    @classmethod
    def parse(cls, text: str) -> "Target":
        return _parse_target(text or "")

    def __str__(self):
        if self.unit == "wd":
            return f"{self.amount}wd"
        return f"{self.amount // 60}h" if self.amount % 60 == 0 else f"{self.amount}m"


@functools.lru_cache(maxsize=512)
def _parse_target(text: str) -> Target:
    # Every clock parses its policy's target text when it starts: a handful of texts, parsed once each (a Target
    # is frozen, so one instance serves every caller).
    match = re.fullmatch(r"\s*(\d+)\s*(wd|h|m)\s*", text)
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"a target is written like 30m, 4h or 3wd, not {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    return Target(amount * 60, "m") if unit == "h" else Target(amount, unit)


@dataclass
class WorkCalendar:
    """A business calendar ready for arithmetic. `warnings` collects dates it had to guess (never silent)."""

    tz: ZoneInfo
    weekly: dict[int, list[Block]]  # 0 = Monday
    cn_holidays: bool = True
    always_open: bool = False
    overrides: dict[dt.date, list[Block]] = field(default_factory=dict)  # [] = closed that day
    warnings: set[str] = field(default_factory=set)

    def __post_init__(self):
        self._day_cache: dict[dt.date, list[Block]] = {}

    @cached_property
    def standard_blocks(self) -> list[Block]:
        """The hours of an ordinary working day, used on a 调休 weekend day that is normally closed."""
        for weekday in range(7):
            if self.weekly.get(weekday):
                return self.weekly[weekday]
        return [(0, MINUTES_PER_DAY)]

    def blocks_on(self, day: dt.date) -> list[Block]:
        """Open blocks of one local date: an override wins, then statutory holidays and 调休, then the week."""
        cached = self._day_cache.get(day)
        if cached is not None:
            return cached
        if day in self.overrides:
            blocks = self.overrides[day]
        elif self.always_open:
            blocks = [(0, MINUTES_PER_DAY)]
        elif self.cn_holidays and day.year in CN_YEARS:
            if day in cn_constants.workdays:  # a make-up working day (调休), usually a weekend
                blocks = self.weekly.get(day.weekday()) or self.standard_blocks
            elif day in cn_constants.holidays:  # statutory holidays only; ordinary weekends are not listed
                blocks = []
            else:
                blocks = self.weekly.get(day.weekday(), [])
        else:
            if self.cn_holidays and not self.year_known(day.year):
                self.warnings.add(f"no holiday data for {day.year}: its dates follow the weekly hours; "
                                  f"enter the year's holidays and make-up days as overrides")
            blocks = self.weekly.get(day.weekday(), [])
        self._day_cache[day] = blocks
        return blocks

    @cached_property
    def _override_years(self) -> set[int]:
        return {d.year for d in self.overrides}

    def year_known(self, year: int) -> bool:
        """Holidays of the year are known: from the package, or entered by the administrator as overrides."""
        return self.always_open or not self.cn_holidays or year in CN_YEARS or year in self._override_years

    def warnings_between(self, start: dt.datetime, end: dt.datetime) -> list[str]:
        """The years a computation from start to end had to guess, as messages to show beside the result."""
        first, last = start.astimezone(self.tz).year, end.astimezone(self.tz).year
        return [f"no holiday data for {y}: its dates follow the weekly hours; enter the year's holidays and "
                f"make-up days as overrides" for y in range(first, last + 1) if not self.year_known(y)]

    def _at(self, day: dt.date, minute: int) -> dt.datetime:
        if minute >= MINUTES_PER_DAY:
            return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=self.tz)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.tz)

    def _local(self, moment: dt.datetime) -> tuple[dt.date, int]:
        local = moment.astimezone(self.tz)
        return local.date(), local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60

    def add_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The moment `minutes` of open time after `start` (time outside the blocks does not count)."""
        if self.always_open and not self.overrides:
            return start + dt.timedelta(minutes=minutes)
        day, now = self._local(start)
        remaining = minutes
        for _ in range(3660):  # ten years of days: a calendar with no open time must not loop forever
            for block_start, block_end in self.blocks_on(day):
                if block_end <= now:
                    continue
                begin = max(now, block_start)
                available = block_end - begin
                if remaining <= available:
                    return self._at(day, 0) + dt.timedelta(minutes=begin + remaining)
                remaining -= available
            day, now = day + dt.timedelta(days=1), 0
        raise ValueError("the calendar has no open time in the next ten years")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of the last block on the Nth working day after the day of arrival (arrival day not counted)."""
        day, _minute = self._local(start)
        counted = 0
        for _ in range(3660):
            day += dt.timedelta(days=1)
            blocks = self.blocks_on(day)
            if blocks:
                counted += 1
                if counted == days:
                    return self._at(day, blocks[-1][1])
        raise ValueError("the calendar has no working day in the next ten years")

    def deadline(self, start: dt.datetime, target: Target) -> dt.datetime:
        if target.unit == "wd":
            return self.add_working_days(start, target.amount)
        return self.add_minutes(start, target.amount)

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Open minutes from start to end; negative when end is before start."""
        if end < start:
            return -self.working_minutes_between(end, start)
        if self.always_open and not self.overrides:
            return (end - start).total_seconds() / 60
        day, now = self._local(start)
        end_day, end_minute = self._local(end)
        total = 0.0
        while day <= end_day:
            stop = end_minute if day == end_day else MINUTES_PER_DAY
            for block_start, block_end in self.blocks_on(day):
                lo, hi = max(now, block_start), min(stop, block_end)
                if hi > lo:
                    total += hi - lo
            day, now = day + dt.timedelta(days=1), 0
        return total


def simple_calendar(hours: str = "09:00-12:00,13:00-18:00", *, weekdays: range = range(5),
                    cn_holidays: bool = True, tz: str = "Asia/Shanghai") -> WorkCalendar:
    """A calendar from the command line's --hours/--holidays, open the same hours Monday to Friday."""
    blocks = parse_hours(hours)
    return WorkCalendar(tz=ZoneInfo(tz), weekly={d: blocks for d in weekdays}, cn_holidays=cn_holidays)
