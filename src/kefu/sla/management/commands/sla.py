"""`kefu sla deadline|sweep|clocks`: deadline arithmetic, one sweep, a ticket's clocks."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump, fail
from kefu.core.errors import ServiceError
from kefu.sla import selectors, services
from kefu.tickets.models import Ticket


class Command(BaseCommand):
    help = "Working-time deadlines on business calendars, and the SLA sweeper."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        deadline = sub.add_parser("deadline", help="When is a target due? e.g. --start 2026-09-30T16:00 --target 3wd")
        deadline.add_argument("--start", required=True, help="ISO time; without offset it is the calendar's zone")
        deadline.add_argument("--target", required=True, help="30m, 4h or 3wd (working days)")
        deadline.add_argument("--hours", help="open hours Monday–Friday, e.g. 09:00-12:00,13:00-18:00")
        deadline.add_argument("--holidays", default="cn", choices=["cn", "none"])
        deadline.add_argument("--calendar", help="a stored calendar's name instead of --hours")
        deadline.add_argument("--time-zone", default="Asia/Shanghai")
        deadline.add_argument("--json", action="store_true", help="print JSON")
        sub.add_parser("sweep", help="Warn, breach and escalate what is due now (the worker does this each minute)")
        clocks = sub.add_parser("clocks", help="Show a ticket's clocks")
        clocks.add_argument("ticket_id", type=int)

    def handle(self, *args, action, **options):
        try:
            if action == "deadline":
                self._deadline(options)
            elif action == "sweep":
                self.stdout.write(dump(services.sweep()))
            else:
                ticket = Ticket.objects.filter(pk=options["ticket_id"]).first()
                if ticket is None:
                    raise CommandError(f"no ticket {options['ticket_id']}")
                self.stdout.write(dump(selectors.clocks_for(ticket)))
        except ServiceError as exc:
            raise fail(exc) from exc

    def _deadline(self, options):
        try:
            start = dt.datetime.fromisoformat(options["start"])
        except ValueError as exc:
            raise CommandError(f"--start: not an ISO date-time: {options['start']!r}") from exc
        calendar = services.resolve_calendar(name=options["calendar"], hours=options["hours"],
                                             holidays=options["holidays"], time_zone=options["time_zone"])
        result = services.compute_deadline(start=start, target=options["target"], calendar=calendar)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(f"due {result['due']} ({result['working_minutes']} working minutes)")
        for warning in result["warnings"]:
            self.stderr.write(f"warning: {warning}")
