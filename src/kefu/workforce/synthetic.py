"""Realistic synthetic contact histories (weekly and intraday seasonality, trend, noise, Chinese holidays).

Used by the tests, `kefu bench wfm` and the demo to measure the forecast where no real history exists.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from kefu.workforce.forecast import HOLIDAY, MAKEUP, History, day_type

WEEKLY = np.array([1.18, 1.06, 1.0, 0.98, 0.94, 0.62, 0.52])
HOLIDAY_LEVEL = {"Spring Festival": 0.35, "National Day": 0.45}


@dataclass(frozen=True)
class Shape:
    """The parameters of one synthetic queue."""

    daily_calls: float = 2400.0
    yearly_growth: float = 0.12
    opens: int = 8  # hour
    closes: int = 22  # hour
    noise: float = 0.06  # day-level lognormal sigma
    aht_s: float = 240.0


def _intraday(slots: int, minutes: int, shape: Shape, weekend: bool) -> np.ndarray:
    hours = (np.arange(slots) * minutes + minutes / 2) / 60
    morning = np.exp(-((hours - 10.3) ** 2) / 2.2)
    afternoon = np.exp(-((hours - 15.0) ** 2) / 3.5) * (0.85 if not weekend else 1.0)
    evening = np.exp(-((hours - 20.0) ** 2) / 2.0) * 0.35
    curve = morning + afternoon + evening + 0.05
    curve[(hours < shape.opens) | (hours >= shape.closes)] = np.nan
    return curve / np.nansum(curve)


def generate(first: date, days: int, *, minutes: int = 30, shape: Shape = Shape(), seed: int = 1) -> History:
    """A history of `days` days from `first`: Poisson counts around a seasonal, trending, holiday-aware mean."""
    rng = np.random.default_rng(seed)
    slots = 1440 // minutes
    vol = np.full((days, slots), np.nan)
    aht = np.full((days, slots), np.nan)
    weekday_curve, weekend_curve = _intraday(slots, minutes, shape, False), _intraday(slots, minutes, shape, True)
    for i in range(days):
        d = first + timedelta(days=i)
        kind, name = day_type(d, "cn")
        level = shape.daily_calls * (1 + shape.yearly_growth) ** (i / 365) * float(np.exp(rng.normal(0, shape.noise)))
        if kind == HOLIDAY:
            level *= HOLIDAY_LEVEL.get(name, 0.55)
            curve = weekend_curve
        elif kind == MAKEUP:
            level *= 0.95
            curve = weekday_curve
        else:
            level *= WEEKLY[d.weekday()]
            curve = weekend_curve if d.weekday() >= 5 else weekday_curve
        mean = curve * level
        open_ = ~np.isnan(mean)
        vol[i, open_] = rng.poisson(mean[open_])
        aht[i, open_] = shape.aht_s * np.exp(rng.normal(0, 0.08, open_.sum()))
    return History(first=first, minutes=minutes, volume=vol, aht=aht)


def write_csv(history: History, path) -> None:
    """Write a history as the CSV that `kefu forecast backtest --history` reads (absent intervals left out)."""
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["start", "volume", "aht_s"])
        for i in range(history.days):
            day = history.date_at(i)
            for s in range(history.slots):
                v = history.volume[i, s]
                if np.isnan(v):
                    continue
                start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=s * history.minutes)
                a = history.aht[i, s]
                out.writerow([start.isoformat(timespec="minutes"), int(v), "" if np.isnan(a) else round(float(a), 1)])
