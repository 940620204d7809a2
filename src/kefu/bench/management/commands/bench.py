"""`kefu bench <name>`: benchmarks on a throwaway database; figures as one JSON document on stdout."""

import argparse
from importlib import import_module

from django.core.management.base import BaseCommand

from kefu.bench.common import Progress, dump_json

# Subcommand → module with run(options, progress) -> dict and summary(result) -> str.
RUNNERS = {"tickets": "kefu.bench.tickets", "sla": "kefu.sla.bench", "ui": "kefu.web.bench",
           "knowledge": "kefu.knowledge.bench",
           "search": "kefu.search.bench", "wfm": "kefu.bench.wfm", "quality": "kefu.bench.quality"}


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


class Command(BaseCommand):
    help = "Run a benchmark (tickets, …) on its own database; progress on stderr, JSON figures on stdout."
    # The checks would open the configured database before the bench points Django at its own one.
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="bench", required=True)
        tickets = sub.add_parser("tickets", help="ticket creation, the agent's queue and ticket detail")
        tickets.add_argument("--n", type=_positive, default=100_000, help="tickets created through the services")
        tickets.add_argument("--api-n", type=_positive, default=None,
                             help="tickets created over HTTP (default: min(n, 5000))")
        tickets.add_argument("--customers", type=_positive, default=None,
                             help="customers created first (default: min(n, 5000))")
        tickets.add_argument("--workers", type=_positive, default=2, help="gunicorn workers")
        tickets.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
        tickets.add_argument("--api-clients", type=_positive, default=2,
                             help="concurrent HTTP connections creating tickets")
        sla = sub.add_parser("sla", help="finding due SLA clocks, processing breaches, deadline arithmetic")
        sla.add_argument("--open", type=_positive, default=1_000_000, help="open tickets, each with a running clock")
        sla.add_argument("--deadlines", type=_positive, default=100_000, help="deadline computations timed")
        ui = sub.add_parser("ui", help="the agent's queue, the ticket page and the team lead's board over HTTP")
        ui.add_argument("--n", type=_positive, default=100_000, help="tickets in the center")
        ui.add_argument("--workers", type=_positive, default=2, help="gunicorn workers")
        knowledge = sub.add_parser("knowledge", help="article suggestions, knowledge search, help center search")
        knowledge.add_argument("--articles", type=_positive, default=2_000, help="published articles")
        search = sub.add_parser("search", help="keyword search latency, index build rate and size, precision@5")
        search.add_argument("--n", type=_positive, default=1_000_000, help="tickets in the index")
        wfm = sub.add_parser("wfm", help="Erlang staffing, the weekly schedule and the forecast backtest")
        wfm.add_argument("--peak", type=_positive, default=120, help="agents required at the busiest quarter-hour")
        wfm.add_argument("--time-limit", type=float, default=30.0, help="seconds allowed to each solver stage")
        wfm.add_argument("--skip-forecast", action="store_true", help="leave out the forecast figures")
        quality = sub.add_parser("quality", help="automatic checks on transcripts and a month of KPIs")
        quality.add_argument("--transcripts", type=_positive, default=100_000, help="chat transcripts checked")
        quality.add_argument("--stored", type=_positive, default=10_000, help="of them written as contacts")
        quality.add_argument("--agents", type=_positive, default=500, help="agents (teams of 20)")
        quality.add_argument("--contacts", type=_positive, default=1_000_000, help="contacts (tickets) in the month")
        for bench in (tickets, sla, ui, knowledge, search, wfm, quality):
            bench.add_argument("--samples", type=_positive, default=500, help="measured queries per figure")
            bench.add_argument("--seed", type=int, default=2026, help="random seed: same seed, same data")
            bench.add_argument("--db", default=None,
                               help="SQLite file to create (must not exist; default: a temporary directory)")
            bench.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
            bench.add_argument("--json-only", action="store_true", help="no progress or summary on stderr")

    def handle(self, *args, bench, **options):
        # Each benchmark's module is imported only when it runs, so one app's broken import breaks only its bench.
        module = import_module(RUNNERS[bench])
        progress = Progress(quiet=options["json_only"])
        result = module.run(options, progress)
        progress.say(module.summary(result))
        self.stdout.write(dump_json(result))
