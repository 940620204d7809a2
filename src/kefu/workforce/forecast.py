"""Contact-volume forecast per interval: day totals × intraday profile, holidays and 调休, events, backtest.

Plain Python + numpy, no Django. History is a grid: one row per calendar date, one column per interval
of the day; NaN marks an interval absent from the history, which is a closed hour (or lost data), never
zero demand — it is neither forecast nor scored.

The default method ("robust") forecasts a day's total as the recency-weighted, outlier-trimmed mean of
the last same-type days, corrected by the recent trend, and spreads it with the recency-weighted intraday
profile of that day type. Day types: the weekday; a statutory holiday is its own type whose level is
learned as a ratio to the normal level on past holidays (by holiday name when one was seen); a make-up
working day (调休) behaves like an ordinary working day. Administrator events (a price change, a billing
day) are overlays whose multiplicative effect is learned from their past occurrences.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

WEIGHTS = np.array([0.30, 0.22, 0.17, 0.13, 0.10, 0.08])  # most recent same-type day first
# The intraday shape changes more slowly than the level: more days, gently decaying, damp Poisson noise.
PROFILE_WEIGHTS = 0.85 ** np.arange(10)
# How many weeks, on average, the weighted same-weekday days lie before a day of the first forecast week.
AGE_WEEKS = float((WEIGHTS * np.arange(1, len(WEIGHTS) + 1)).sum())
HOLIDAY, MAKEUP = "holiday", "makeup"
METHODS = ("robust", "exp_smoothing")


class HistoryError(ValueError):
    """A history file or series that cannot be used; `field` names the column or option."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def parse_interval(text: str) -> int:
    """'30m', '15m', '1h' or minutes as a number → minutes dividing a day."""
    raw = str(text).strip().lower()
    try:
        minutes = int(raw[:-1]) * 60 if raw.endswith("h") else int(raw.rstrip("m").rstrip("min"))
    except ValueError:
        raise HistoryError("interval must look like 15m, 30m or 1h", "interval") from None
    if minutes <= 0 or 1440 % minutes:
        raise HistoryError("interval must divide a day (e.g. 15m, 30m, 60m)", "interval")
    return minutes


def _parse_start(text: str) -> datetime:
    raw = text.strip().replace("/", "-")
    stamp = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return stamp.replace(tzinfo=None)  # local wall-clock time as written; the offset is not applied


@dataclass
class History:
    """Volume (and AHT) per interval of each calendar date; NaN where the history has no interval."""

    first: date
    minutes: int
    volume: np.ndarray  # days × slots
    aht: np.ndarray  # days × slots, NaN where unknown

    @property
    def slots(self) -> int:
        return 1440 // self.minutes

    @property
    def days(self) -> int:
        return self.volume.shape[0]

    def date_at(self, i: int) -> date:
        return self.first + timedelta(days=i)

    def index(self, d: date) -> int:
        return (d - self.first).days


def history_from_rows(rows: Iterable[tuple[datetime, float, float | None]], minutes: int) -> History:
    """Bucket (start, volume, aht_s) rows into intervals; several rows in one interval are added up."""
    rows = list(rows)
    if not rows:
        raise HistoryError("the history has no rows", "start")
    first = min(r[0] for r in rows).date()
    last = max(r[0] for r in rows).date()
    days = (last - first).days + 1
    vol = np.full((days, 1440 // minutes), np.nan)
    work = np.zeros_like(vol)
    timed = np.zeros_like(vol)
    for start, volume, aht in rows:
        i = (start.date() - first).days
        s = (start.hour * 60 + start.minute) // minutes
        vol[i, s] = (0.0 if math.isnan(vol[i, s]) else vol[i, s]) + volume
        if aht is not None and volume > 0:
            work[i, s] += aht * volume
            timed[i, s] += volume
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(timed > 0, work / timed, np.nan)
    return History(first=first, minutes=minutes, volume=vol, aht=aht)


def read_history_csv(path, minutes: int) -> History:
    """Read a CSV with columns start, volume and optionally aht_s; bad rows refused naming the line."""
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        names = {(n or "").strip().lower(): n for n in reader.fieldnames or []}
        for need in ("start", "volume"):
            if need not in names:
                raise HistoryError(f"the file has no '{need}' column", need)
        aht_col = names.get("aht_s")
        for line, row in enumerate(reader, start=2):
            start_raw = (row.get(names["start"]) or "").strip()
            vol_raw = (row.get(names["volume"]) or "").strip()
            if not start_raw and not vol_raw:
                continue
            try:
                start = _parse_start(start_raw)
                volume = float(vol_raw) if vol_raw else math.nan
            except ValueError:
                raise HistoryError(f"line {line}: cannot read start/volume", "start") from None
            if math.isnan(volume):
                continue  # an interval with no count is unknown, like an absent one
            if volume < 0:
                raise HistoryError(f"line {line}: negative volume", "volume")
            aht = None
            if aht_col and (row.get(aht_col) or "").strip():
                try:
                    aht = float(row[aht_col])
                except ValueError:
                    raise HistoryError(f"line {line}: cannot read aht_s", "aht_s") from None
                aht = aht if aht > 0 and math.isfinite(aht) else None
            rows.append((start, volume, aht))
    return history_from_rows(rows, minutes)


def day_type(d: date, holidays: str) -> tuple[str, str | None]:
    """The day's type (weekday number, holiday or make-up working day) and the holiday's name."""
    if holidays == "cn":
        import chinese_calendar

        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(d)
            workday = chinese_calendar.is_workday(d)
        except NotImplementedError:  # the calendar package does not know this year yet
            return str(d.weekday()), None
        if on_holiday and name:
            return HOLIDAY, name
        if workday and d.weekday() >= 5:
            return MAKEUP, name
    return str(d.weekday()), None


@dataclass
class DayForecast:
    """One day's forecast: volume per interval (NaN = closed) and AHT per interval (NaN = unknown)."""

    day: date
    volume: np.ndarray
    aht: np.ndarray


@dataclass
class Forecaster:
    """Forecasts days after `origin` from the history strictly before `origin`."""

    history: History
    holidays: str = "cn"
    events: dict[date, str] = field(default_factory=dict)  # date → event name
    method: str = "robust"

    def __post_init__(self):
        h = self.history
        self.types = [day_type(h.date_at(i), self.holidays) for i in range(h.days)]
        self.totals = np.where(np.isnan(h.volume).all(axis=1), np.nan, np.nansum(h.volume, axis=1))
        self._memo: dict[tuple, float] = {}

    # -- levels ------------------------------------------------------------------------------------
    def _recent(self, kind: str, before: int, count: int = len(WEIGHTS)) -> list[int]:
        """Indexes of the last `count` days of this type before `before` that have data and no event."""
        out = []
        i = min(before, self.history.days) - 1
        while i >= 0 and len(out) < count and before - i <= 7 * 26:
            usable = not math.isnan(self.totals[i]) and self.history.date_at(i) not in self.events
            if self.types[i][0] == kind and usable:
                out.append(i)
            i -= 1
        return out

    def _weekday_level(self, weekday: int, before: int) -> float:
        """Recency-weighted, outlier-trimmed mean total of the last normal days of this weekday."""
        key = ("wd", weekday, before)
        if key not in self._memo:
            idx = self._recent(str(weekday), before)
            if not idx:
                self._memo[key] = math.nan
            else:
                vals = self.totals[idx]
                med = np.median(vals)
                keep = (vals >= 0.5 * med) & (vals <= 1.5 * med) if med > 0 else np.ones(len(vals), bool)
                w = WEIGHTS[: len(vals)] * keep
                self._memo[key] = float((w * vals).sum() / w.sum()) if w.sum() else float(med)
        return self._memo[key]

    def _trend(self, before: int) -> float:
        """Weekly growth factor from the last four weeks against the four before (clipped, ≥ 8 weeks)."""
        key = ("trend", before)
        if key not in self._memo:
            recent, older = [], []
            for w in range(7):
                a = [self.totals[i] for i in self._recent(str(w), before, 8)]
                if len(a) == 8:
                    recent.append(np.mean(a[:4]))
                    older.append(np.mean(a[4:]))
            growth = 1.0
            if len(recent) >= 5 and sum(older) > 0:
                growth = float(np.clip((sum(recent) / sum(older)) ** 0.25, 0.97, 1.03))
            self._memo[key] = growth
        return self._memo[key]

    def _workday_level(self, before: int) -> float:
        levels = [self._weekday_level(w, before) for w in range(5)]
        levels = [x for x in levels if not math.isnan(x)]
        return float(np.mean(levels)) if levels else math.nan

    def _normal_level(self, d: date, before: int) -> float:
        kind = self.types[self.history.index(d)][0] if 0 <= self.history.index(d) < self.history.days else None
        kind = kind or day_type(d, self.holidays)[0]
        if kind == MAKEUP:
            return self._workday_level(before)
        return self._weekday_level(d.weekday(), before)

    def _ratio(self, days: list[int], level: Callable[[int], float]) -> float | None:
        """Median ratio of actual totals to their normal level on past special days."""
        ratios = []
        for i in days:
            base = level(i)
            if base and not math.isnan(base) and not math.isnan(self.totals[i]):
                ratios.append(self.totals[i] / base)
        return float(np.median(ratios)) if ratios else None

    def _special_factor(self, d: date, before: int) -> float:
        """Holiday / make-up day / event multiplier learned from past occurrences before `before`."""
        kind, name = day_type(d, self.holidays)
        factor = 1.0
        if kind in (HOLIDAY, MAKEUP):
            past = [i for i in range(min(before, self.history.days)) if self.types[i][0] == kind]
            same = [i for i in past if self.types[i][1] == name]
            def level(i):
                return self._normal_level(self.history.date_at(i), i)
            learned = self._ratio(same, level) if same else None
            learned = learned if learned is not None else self._ratio(past, level)
            if learned is None and kind == HOLIDAY:
                sunday = self._weekday_level(6, before)
                weekday = self._weekday_level(d.weekday(), before)
                learned = sunday / weekday if weekday and not math.isnan(sunday) else 1.0
            factor = learned if learned is not None else 1.0
        event = self.events.get(d)
        if event:
            past = [i for i in range(min(before, self.history.days))
                    if self.events.get(self.history.date_at(i)) == event]
            learned = self._ratio(past, lambda i: self._normal_level(self.history.date_at(i), i))
            factor *= learned if learned is not None else 1.0
        return factor

    # -- profiles ----------------------------------------------------------------------------------
    def _profile(self, d: date, before: int) -> tuple[np.ndarray, np.ndarray]:
        """Intraday shares (NaN = closed) and AHT per interval for the day's type."""
        kind = day_type(d, self.holidays)[0]
        kinds = {MAKEUP: ["0", "1", "2", "3", "4"], HOLIDAY: [HOLIDAY]}.get(kind, [kind])
        depth = len(PROFILE_WEIGHTS)
        idx = sorted({i for k in kinds for i in self._recent(k, before, depth)}, reverse=True)[:depth]
        if not idx and kind == HOLIDAY:
            idx = self._recent("6", before)
        if not idx:
            idx = sorted({i for k in map(str, range(7)) for i in self._recent(k, before, 1)}, reverse=True)
        h = self.history
        vol = h.volume[idx]
        w = PROFILE_WEIGHTS[: len(idx)][:, None] * np.ones_like(vol)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = vol / np.nansum(vol, axis=1, keepdims=True)
            share = np.nansum(np.nan_to_num(shares) * w, axis=0) / w.sum(axis=0)
            # Open when open on either of the last two days of the type; closed hours stay closed.
            open_ = (~np.isnan(vol[: min(2, len(idx))])).any(axis=0) if len(idx) else np.zeros(h.slots, bool)
            share = np.where(open_, share, np.nan)
            total = np.nansum(share)
            share = share / total if total > 0 else share
            work = np.nansum(np.nan_to_num(h.aht[idx]) * np.nan_to_num(vol), axis=0)
            timed = np.nansum(np.where(np.isnan(h.aht[idx]), 0, np.nan_to_num(vol)), axis=0)
            aht = np.where(timed > 0, work / timed, np.nan)
        all_aht = h.aht[max(0, before - 28): before]
        fallback = np.nanmean(all_aht) if np.isfinite(all_aht).any() else np.nan
        aht = np.where(np.isnan(aht) & open_, fallback, aht)
        return share, aht

    # -- public ------------------------------------------------------------------------------------
    def day(self, d: date, origin: date, daily_total: float | None = None) -> DayForecast:
        """Forecast of date d using only the history before `origin` (d ≥ origin)."""
        before = self.history.index(origin)
        if daily_total is None:
            age_weeks = AGE_WEEKS + (self.history.index(d) - before) // 7
            level = self._normal_level(d, before) * self._trend(before) ** age_weeks
            daily_total = level * self._special_factor(d, before)
        share, aht = self._profile(d, before)
        total = 0.0 if math.isnan(daily_total) else daily_total
        return DayForecast(day=d, volume=share * total, aht=aht)

    def week(self, origin: date, days: int = 7) -> list[DayForecast]:
        """Forecast the `days` days from `origin` using the history before `origin`."""
        totals = [None] * days
        if self.method == "exp_smoothing":
            totals = self._smoothed_totals(origin, days)
        return [self.day(origin + timedelta(days=k), origin, totals[k]) for k in range(days)]

    def _smoothed_totals(self, origin: date, days: int) -> list[float]:
        """Holt-Winters (damped additive trend, multiplicative weekly season) on normalised daily totals."""
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        before = self.history.index(origin)
        start = max(0, before - 7 * 20)
        series = []
        for i in range(start, before):
            value, kind = self.totals[i], self.types[i][0]
            if kind in (HOLIDAY, MAKEUP) or math.isnan(value) or self.history.date_at(i) in self.events:
                value = self._weekday_level(self.history.date_at(i).weekday(), i)
            series.append(value)
        series = np.array(series, dtype=float)
        if len(series) < 21 or np.isnan(series).any() or (series <= 0).any():
            return [None] * days
        model = ExponentialSmoothing(series, trend="add", damped_trend=True, seasonal="mul",
                                     seasonal_periods=7, initialization_method="estimated").fit()
        ahead = model.forecast(days)
        out = []
        for k in range(days):
            d = origin + timedelta(days=k)
            out.append(max(0.0, float(ahead[k])) * self._special_factor(d, before))
        return out
