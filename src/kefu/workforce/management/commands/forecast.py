"""`kefu forecast`: backtest the volume forecast on a history file, or forecast the coming weeks from it."""

import sys
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump
from kefu.workforce.backtest import backtest
from kefu.workforce.forecast import METHODS, Forecaster, HistoryError, parse_interval, read_history_csv


def _load(options):
    try:
        minutes = parse_interval(options["interval"])
    except HistoryError as exc:
        raise CommandError(f"--interval: {exc}") from None
    try:
        return read_history_csv(options["history"], minutes)
    except FileNotFoundError:
        raise CommandError(f"--history: no such file {options['history']}") from None
    except HistoryError as exc:
        raise CommandError(f"--history: {exc} [{exc.field}]") from None


def _progress(done, total):
    sys.stderr.write(f"week {done}/{total} forecast\n")
    sys.stderr.flush()


class Command(BaseCommand):
    help = "Volume forecast per interval: `backtest` scores it on the last weeks, `run` forecasts ahead."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("backtest", "forecast the last calendar weeks, each from the data before it"),
                           ("run", "forecast the weeks after the history")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--history", required=True, help="CSV with columns start, volume and optionally aht_s")
            p.add_argument("--interval", default="30m", help="interval length: 15m, 30m or 1h")
            p.add_argument("--holidays", choices=("cn", "none"), default="cn",
                           help="cn: Chinese statutory holidays and 调休 working days")
            p.add_argument("--method", choices=METHODS, default="robust")
            p.add_argument("--json", action="store_true", help="print JSON")
        sub.choices["backtest"].add_argument("--test-weeks", type=int, default=4, help="weeks to backtest")
        sub.choices["backtest"].add_argument("--curve", action="store_true",
                                             help="include forecast and actual per interval")
        sub.choices["run"].add_argument("--weeks", type=int, default=2, help="weeks to forecast")

    def handle(self, *args, action, **o):
        if action == "backtest":
            if o["test_weeks"] < 1:
                raise CommandError("--test-weeks: must be at least 1")
            history = _load(o)
            result = backtest(history, weeks=o["test_weeks"], holidays=o["holidays"], method=o["method"],
                              progress=_progress)
            if not o["curve"]:
                result.pop("curve", None)
        else:
            if o["weeks"] < 1:
                raise CommandError("--weeks: must be at least 1")
            history = _load(o)
            model = Forecaster(history, holidays=o["holidays"], method=o["method"])
            origin = history.date_at(history.days - 1) + timedelta(days=1)
            days = model.week(origin, 7 * o["weeks"])
            result = {"method": o["method"], "interval_minutes": history.minutes, "from": origin.isoformat(),
                      "days": [_day_out(d.day, d.volume, d.aht) for d in days]}
        if o["json"]:
            self.stdout.write(dump(result))
        else:
            for key, value in result.items():
                if key not in ("curve", "days"):
                    self.stdout.write(f"{key}: {value}")


def _day_out(day: date, volume, aht) -> dict:
    """One forecast day as JSON: None marks a closed interval."""
    import math

    return {"date": day.isoformat(),
            "volume": [None if math.isnan(v) else round(float(v), 2) for v in volume],
            "aht_s": [None if math.isnan(a) else round(float(a), 1) for a in aht]}
