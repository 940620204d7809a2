"""The volume forecast: accuracy against the baselines, holidays, 调休, closed hours, events, the CLI."""

import json
from datetime import date, timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from kefu.workforce.backtest import backtest
from kefu.workforce.forecast import Forecaster, HistoryError, read_history_csv
from kefu.workforce.synthetic import Shape, generate, write_csv

HISTORIES = {
    # A year of a mid-size hotline ending in December.
    "hotline": (date(2025, 1, 6), 365, Shape(), 0),
    # A small, noisy, shrinking queue whose test weeks cover the National Day week.
    "small": (date(2024, 6, 3), 495, Shape(daily_calls=600, noise=0.1, yearly_growth=-0.05), 1),
    # A 24-hour queue growing 30 % a year.
    "24h": (date(2025, 3, 3), 300, Shape(daily_calls=9000, opens=0, closes=24, noise=0.04, yearly_growth=0.3), 2),
}


@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_robust_forecast_beats_the_four_week_same_weekday_mean(name):
    first, days, shape, seed = HISTORIES[name]
    result = backtest(generate(first, days, shape=shape, seed=seed), weeks=6)
    assert result["wape"] < result["baselines"]["four_week_mean"]["wape"]
    assert result["wape"] < result["baselines"]["seasonal_naive"]["wape"]
    assert abs(result["bias"]) < 0.05


def test_holiday_week_is_forecast_from_past_holidays_not_from_last_week():
    history = generate(date(2024, 1, 1), 700, shape=Shape(daily_calls=3000), seed=5)
    model = Forecaster(history)
    days = model.week(date(2025, 9, 29))  # Mon 29 Sep .. Sun 5 Oct 2025: National Day from 1 October
    totals = {d.day: float(np.nansum(d.volume)) for d in days}
    actual = {d.day: float(np.nansum(history.volume[history.index(d.day)])) for d in days}
    assert totals[date(2025, 10, 2)] < 0.6 * totals[date(2025, 9, 30)]
    assert totals[date(2025, 10, 2)] == pytest.approx(actual[date(2025, 10, 2)], rel=0.2)


def test_make_up_working_day_is_forecast_like_a_working_day():
    history = generate(date(2024, 1, 1), 700, shape=Shape(daily_calls=3000), seed=5)
    model = Forecaster(history)
    sunday_makeup = model.day(date(2025, 9, 28), date(2025, 9, 22))  # 调休: Sunday 28 Sep 2025 is a workday
    ordinary_sunday = model.day(date(2025, 9, 21), date(2025, 9, 15))
    assert np.nansum(sunday_makeup.volume) > 1.4 * np.nansum(ordinary_sunday.volume)
    without = Forecaster(history, holidays="none").day(date(2025, 9, 28), date(2025, 9, 22))
    assert np.nansum(without.volume) < np.nansum(sunday_makeup.volume)


def test_intervals_absent_from_history_are_closed_not_zero_demand():
    history = generate(date(2025, 1, 6), 120, seed=1)  # open 08:00–22:00
    day = Forecaster(history).day(date(2025, 5, 6), date(2025, 5, 5))
    assert np.isnan(day.volume[:16]).all() and np.isnan(day.volume[44:]).all()
    assert (day.volume[16:44] > 0).all()
    result = backtest(history, weeks=2)
    assert result["curve"][0]["forecast"][0] is None


def test_event_overlay_effect_is_learned_from_past_occurrences():
    history = generate(date(2025, 1, 6), 200, seed=4)
    billing = [date(2025, m, 15) for m in range(2, 8)]
    for d in billing:  # billing day doubles the calls
        history.volume[history.index(d)] *= 2
    events = {d: "billing" for d in billing}
    with_events = Forecaster(history, events=events).day(date(2025, 7, 15), date(2025, 7, 14))
    plain = Forecaster(history).day(date(2025, 7, 15), date(2025, 7, 14))
    assert np.nansum(with_events.volume) == pytest.approx(2 * np.nansum(plain.volume), rel=0.15)


def test_exponential_smoothing_alternative_forecasts_a_week():
    history = generate(date(2025, 1, 6), 200, seed=6)
    result = backtest(history, weeks=1, method="exp_smoothing")
    assert result["method"] == "exp_smoothing"
    assert 0 < result["wape"] < 0.3


def test_history_csv_tolerates_bom_gaps_offsets_missing_aht_and_finer_rows(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("\ufeffStart,Volume\n2026-03-02T08:00:00+08:00,10\n2026-03-02 08:15,5\n\n"
                    "2026/03/02 09:00,7\n2026-03-03 08:00,,\n2026-03-04 08:00,0\n", encoding="utf-8")
    history = read_history_csv(path, 30)
    assert history.days == 3
    assert history.volume[0, 16] == 15 and history.volume[0, 18] == 7
    assert np.isnan(history.volume[0, 17]) and np.isnan(history.volume[1]).all()  # no count: unknown
    assert history.volume[2, 16] == 0
    assert np.isnan(history.aht).all()


def test_history_csv_without_volume_column_is_refused_naming_it(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("start,calls\n2026-03-02 08:00,3\n")
    with pytest.raises(HistoryError) as err:
        read_history_csv(path, 30)
    assert err.value.field == "volume"


def test_cli_backtest_prints_the_issue_keys_and_progress(tmp_path):
    path = tmp_path / "h.csv"
    write_csv(generate(date(2025, 1, 6), 180, seed=2), path)
    out, err = StringIO(), StringIO()
    call_command("forecast", "backtest", "--history", str(path), "--interval", "30m", "--test-weeks", "3",
                 "--holidays", "cn", "--json", stdout=out, stderr=err)
    got = json.loads(out.getvalue())
    assert got["method"] == "robust"
    assert {"wape", "daily_wape", "bias"} <= set(got)
    assert got["wape"] < got["baselines"]["four_week_mean"]["wape"]
    assert "wape" in got["baselines"]["seasonal_naive"]
    assert len(got["weeks"]) == 3


def test_cli_forecast_run_gives_the_days_after_the_history(tmp_path):
    path = tmp_path / "h.csv"
    write_csv(generate(date(2025, 1, 6), 100, seed=2), path)
    out = StringIO()
    call_command("forecast", "run", "--history", str(path), "--weeks", "1", "--json", stdout=out)
    got = json.loads(out.getvalue())
    assert got["from"] == (date(2025, 1, 6) + timedelta(days=100)).isoformat()
    assert len(got["days"]) == 7 and len(got["days"][0]["volume"]) == 48


@pytest.mark.parametrize(("args", "flag"), [(["--interval", "7m"], "--interval"),
                                            (["--test-weeks", "0"], "--test-weeks")])
def test_cli_backtest_refuses_bad_options_naming_them(tmp_path, args, flag):
    path = tmp_path / "h.csv"
    write_csv(generate(date(2025, 1, 6), 30, seed=2), path)
    with pytest.raises(CommandError, match=flag):
        call_command("forecast", "backtest", "--history", str(path), *args, "--json", stderr=StringIO())
