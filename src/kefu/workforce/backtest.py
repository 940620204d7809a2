"""Backtest of a forecast method on the last calendar weeks of a history, against two baselines.

Each test week (Monday to Sunday) is forecast only from the data before that Monday; the same weeks are
forecast by the seasonal-naive baseline (the same interval a week earlier) and the four-week mean (the
mean of the same interval on the same weekday in the four previous weeks). Only intervals present in the
history are scored: an absent interval is a closed hour or lost data, not zero demand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from kefu.workforce.forecast import Forecaster, History


class Cancelled(Exception):
    """The caller asked the long run to stop."""


def _scores(forecast: np.ndarray, actual: np.ndarray) -> dict:
    """WAPE at interval and daily level and bias, over the intervals present in the actual history."""
    seen = ~np.isnan(actual)
    f = np.where(seen, np.nan_to_num(forecast), 0.0)
    a = np.where(seen, actual, 0.0)
    volume = a.sum()
    days = seen.any(axis=1)
    daily_f, daily_a = f.sum(axis=1)[days], a.sum(axis=1)[days]
    if volume <= 0:
        return {"wape": None, "daily_wape": None, "bias": None}
    return {"wape": float(np.abs(f - a).sum() / volume),
            "daily_wape": float(np.abs(daily_f - daily_a).sum() / volume),
            "bias": float((f - a).sum() / volume)}


def weeks_to_test(history: History, weeks: int) -> list[date]:
    """Mondays of the last `weeks` calendar weeks that hold data (the last one may be partial)."""
    last = history.date_at(history.days - 1)
    monday = last - timedelta(days=last.weekday())
    mondays = [monday - timedelta(weeks=k) for k in range(weeks)][::-1]
    return [m for m in mondays if history.index(m) + 7 > 0]


def _baselines(history: History, start: int, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Seasonal-naive and four-week-mean forecasts of `days` rows from `start`, from data before start."""
    vol = history.volume
    naive = np.zeros((days, history.slots))
    mean4 = np.zeros((days, history.slots))
    for k in range(days):
        i = start + k
        lag = i - 7 * (k // 7 + 1)  # the same weekday in the last week before the forecast origin
        naive[k] = np.nan_to_num(vol[lag]) if lag >= 0 else 0.0
        rows = [vol[lag - 7 * w] for w in range(4) if lag - 7 * w >= 0]
        if rows:
            stack = np.array(rows)
            seen = (~np.isnan(stack)).sum(axis=0)
            mean4[k] = np.nansum(stack, axis=0) / np.maximum(seen, 1)
    return naive, mean4


def backtest(history: History, *, weeks: int = 4, holidays: str = "cn", method: str = "robust",
             events: dict | None = None, progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> dict:
    """Forecast the last `weeks` weeks one at a time and score them with the baselines on the same weeks."""
    model = Forecaster(history, holidays=holidays, events=events or {}, method=method)
    mondays = weeks_to_test(history, weeks)
    fc, actual, naive, mean4, curve = [], [], [], [], []
    for n, monday in enumerate(mondays, start=1):
        if cancelled and cancelled():
            raise Cancelled()
        start = history.index(monday)
        days = min(7, history.days - start)
        got = model.week(monday, days)
        rows = np.array([g.volume for g in got])
        act = history.volume[start: start + days]
        nv, m4 = _baselines(history, start, days)
        fc.append(rows)
        actual.append(act)
        naive.append(nv)
        mean4.append(m4)
        for k in range(days):
            curve.append({"date": (monday + timedelta(days=k)).isoformat(),
                          "forecast": [None if np.isnan(x) else round(float(x), 2) for x in rows[k]],
                          "actual": [None if np.isnan(x) else float(x) for x in act[k]]})
        if progress:
            progress(n, len(mondays))
    if not mondays:
        return {"method": method, "wape": None, "daily_wape": None, "bias": None, "weeks": [],
                "baselines": {"seasonal_naive": {"wape": None}, "four_week_mean": {"wape": None}}}
    fc_all, act_all = np.vstack(fc), np.vstack(actual)
    result = {"method": method, **_scores(fc_all, act_all),
              "interval_minutes": history.minutes, "weeks": [m.isoformat() for m in mondays]}
    result["baselines"] = {"seasonal_naive": _scores(np.vstack(naive), act_all),
                           "four_week_mean": _scores(np.vstack(mean4), act_all)}
    result["curve"] = curve
    return result
