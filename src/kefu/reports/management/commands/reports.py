"""`kefu reports rebuild [--since DATE] [--batch N]`: recompute the report facts from ticket events."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump
from kefu.reports.services import rebuild_facts


class Command(BaseCommand):
    help = "Report facts: `kefu reports rebuild [--since 2026-04-01] [--batch 200]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Recompute callback and survey facts from ticket events")
        rebuild.add_argument("--since", help="only tickets with a callback or survey event on or after this "
                                             "local date (YYYY-MM-DD); default all")
        rebuild.add_argument("--batch", type=int, default=200, help="tickets per transaction")

    def handle(self, *args, action, **options):
        since = None
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError("invalid [since]: Enter a date as YYYY-MM-DD.") from None
        started = time.monotonic()

        def progress(done, total, events):
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stderr.write(f"\rtickets {done}/{total}, events {events} ({rate:,.0f} tickets/s)   ", ending="")
            if done >= total:
                self.stderr.write("")

        result = rebuild_facts(actor=None, since=since, batch=max(1, options["batch"]), progress=progress)
        self.stdout.write(dump({**vars(result), "since": since, "seconds": round(time.monotonic() - started, 1)}))
