"""`kefu schedule`: the fewest paid hours covering a week's requirement, a named roster, and its check."""

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump
from kefu.workforce.scheduling.run import schedule_week
from kefu.workforce.scheduling.setup import SetupError, load_patterns, read_agents, read_requirements


class Command(BaseCommand):
    help = ("Weekly schedule (排班): shift patterns from YAML, agents and the requirement from CSV; prints the "
            "roster, paid hours, coverage per interval, the solver's gap and the independent check.")

    def add_arguments(self, parser):
        parser.add_argument("--requirements", required=True, help="CSV: start, required[, skill]")
        parser.add_argument("--patterns", required=True, help="YAML: shifts, breaks and rules")
        parser.add_argument("--agents", required=True, help="CSV: name, skills, days_per_week, max_hours, …")
        parser.add_argument("--week", required=True, help="the Monday the week starts on (YYYY-MM-DD)")
        parser.add_argument("--time-limit", type=float, default=None, help="seconds for each solver stage")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **o):
        try:
            week = date.fromisoformat(o["week"])
        except ValueError:
            raise CommandError("--week: give a date like 2027-03-01") from None
        if week.weekday() != 0:
            raise CommandError("--week: the week starts on a Monday")
        for flag in ("requirements", "patterns", "agents"):
            if not Path(o[flag]).is_file():
                raise CommandError(f"--{flag}: no such file {o[flag]}")
        try:
            patterns, rules = load_patterns(Path(o["patterns"]).read_text(encoding="utf-8"))
            if o["time_limit"] is not None:
                if o["time_limit"] <= 0:
                    raise CommandError("--time-limit: must be greater than 0")
                from dataclasses import replace

                rules = replace(rules, time_limit_s=o["time_limit"])
            agents = read_agents(o["agents"], week)
            req = read_requirements(o["requirements"], week, rules.interval_minutes)
        except SetupError as exc:
            flag = exc.field.split(".")[0]
            raise CommandError(f"--{flag}: {exc}") from None

        def progress(stage, gap):
            sys.stderr.write(f"{stage}: gap {gap:.2%}\n" if gap < 1 else f"{stage}: solving\n")
            sys.stderr.flush()

        result = schedule_week(req, patterns, agents, rules, progress=progress)
        if o["json"]:
            self.stdout.write(dump(result))
            return
        self.stdout.write(f"week {result['week']}: {len(result['shifts'])} shifts, {result['paid_hours']} paid hours, "
                          f"gap {result['solver']['gap']:.2%}, shortfall {result['shortfall_agent_intervals']} "
                          f"agent-intervals, check {'ok' if result['check']['ok'] else 'FAILED'}")
        for s in result["shifts"]:
            self.stdout.write(f"{s['date']} {s['start'][11:]}–{s['end'][11:]} {s['pattern']} {s['agent']}")
