"""`kefu schedule`: the fewest paid hours covering a week's requirement, a named roster, and its check."""

import sys
import time
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
        parser.add_argument("--requirements", help="CSV: start, required[, skill]")
        parser.add_argument("--patterns", help="YAML: shifts, breaks and rules")
        parser.add_argument("--agents", help="CSV: name, skills, days_per_week, max_hours, …")
        parser.add_argument("--setup", help="instead of the files: the stored shift setup of this name, the week's "
                                            "stored requirement and the agents with their contracts; the result "
                                            "is the week's draft roster")
        parser.add_argument("--publish", action="store_true", help="with --setup: publish the roster when the "
                                                                   "independent check passes")
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
        if o["setup"]:
            return self._stored(week, o)
        if o["publish"]:
            raise CommandError("--publish: only with --setup (a roster made from files is not stored)")
        for flag in ("requirements", "patterns", "agents"):
            if not o[flag]:
                raise CommandError(f"--{flag}: required (or give --setup for the stored setup)")
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

    def _stored(self, week: date, o: dict):
        """Schedule the week from what is stored, as the worker does for the planner's screen."""
        from kefu.core.errors import ServiceError
        from kefu.workforce import services
        from kefu.workforce.models import Roster, RunStatus, ScheduleRun, ShiftSetup

        setup = ShiftSetup.objects.filter(name=o["setup"]).first()
        if setup is None:
            raise CommandError(f"--setup: no stored shift setup named {o['setup']!r}")
        try:
            run = services.request_schedule(actor=None, week=week, setup_id=setup.pk)
            sys.stderr.write("solving…\n")
            # Solved here; should the worker have claimed the queued task first, wait for its answer instead.
            done = services.execute_run(run_id=run.pk)
            while done is None or done.status in (RunStatus.QUEUED, RunStatus.RUNNING):
                if done is not None:
                    time.sleep(1)
                done = ScheduleRun.objects.get(pk=run.pk)
            run = done
            roster = Roster.objects.filter(week=week).first()
            if run.status == RunStatus.DONE and o["publish"]:
                roster = services.publish_roster(actor=None, roster_id=roster.pk, version=roster.version)
        except ServiceError as exc:
            raise CommandError(f"--{exc.field or 'setup'}: {exc.message}") from None
        out = {"week": week.isoformat(), "run": run.pk, "status": run.status, "error": run.error,
               **run.summary, "roster": roster.status if roster else None,
               "shifts": [services.shift_dict(s) for s in roster.shifts.select_related("agent")] if roster else []}
        if o["json"]:
            self.stdout.write(dump(out))
            return
        if run.status != RunStatus.DONE:
            raise CommandError(f"--setup: the run ended {run.status} {run.error}")
        self.stdout.write(f"week {week}: {out['shifts'] and len(out['shifts'])} shifts, {run.summary['paid_hours']} "
                          f"paid hours, gap {run.summary['gap']:.2%}, check "
                          f"{'ok' if run.summary['check_ok'] else 'FAILED'}, roster {out['roster']}")
