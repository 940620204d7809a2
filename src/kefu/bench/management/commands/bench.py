"""`kefu bench <name>`: benchmarks on a throwaway database; figures as one JSON document on stdout."""

import argparse
from importlib import import_module

from django.core.management.base import BaseCommand

from kefu.bench.common import Progress, dump_json

# Subcommand → module with run(options, progress) -> dict and summary(result) -> str.
RUNNERS = {"tickets": "kefu.bench.tickets", "sla": "kefu.bench.sla", "ui": "kefu.bench.ui",
           "knowledge": "kefu.bench.knowledge", "search": "kefu.bench.search", "load": "kefu.bench.load",
           "chat": "kefu.bench.chat", "wfm": "kefu.bench.wfm", "quality": "kefu.bench.quality",
           "channels": "kefu.bench.channels", "utility": "kefu.bench.utility",
           "attendance": "kefu.bench.attendance"}


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
        search = sub.add_parser("search", help="relevance (nDCG@10, MRR, recall@20, zero results by kind), "
                                               "latency, index size")
        search.add_argument("--n", type=_positive, default=1_000_000, help="tickets in the index")
        chat = sub.add_parser("chat", help="live chat: message delivery over SSE, routing decisions, memory per stream")
        chat.add_argument("--sessions", type=_positive, default=200, help="chats at once, each with two streams")
        chat.add_argument("--messages", type=_positive, default=5, help="messages each way per chat")
        chat.add_argument("--think", type=float, default=10.0,
                          help="mean seconds between a chat's rounds (the visitor writes, the agent answers)")
        chat.add_argument("--agents", type=_positive, default=500, help="agents available when routing is timed")
        chat.add_argument("--idle", type=_positive, default=500, help="idle streams opened to weigh memory")
        channels = sub.add_parser("channels", help="inbound email, signed webhook with retries, CTI events, "
                                                   "memory of a mail with a large attachment")
        channels.add_argument("--emails", type=_positive, default=10_000, help="inbound emails")
        channels.add_argument("--webhooks", type=_positive, default=5_000, help="webhook messages (each sent twice)")
        channels.add_argument("--cti", type=_positive, default=3_000, help="CTI call events")
        channels.add_argument("--attachment-mb", type=_positive, default=20, help="size of the large attachment")
        wfm = sub.add_parser("wfm", help="Erlang staffing, the weekly schedule and the forecast backtest")
        wfm.add_argument("--peak", type=_positive, default=120, help="agents required at the busiest quarter-hour")
        wfm.add_argument("--time-limit", type=float, default=30.0, help="seconds allowed to each solver stage")
        wfm.add_argument("--skip-forecast", action="store_true", help="leave out the forecast figures")
        quality = sub.add_parser("quality", help="automatic checks on transcripts and a month of KPIs")
        quality.add_argument("--transcripts", type=_positive, default=100_000, help="chat transcripts checked")
        quality.add_argument("--stored", type=_positive, default=10_000, help="of them written as contacts")
        quality.add_argument("--agents", type=_positive, default=500, help="agents (teams of 20)")
        quality.add_argument("--contacts", type=_positive, default=1_000_000, help="contacts (tickets) in the month")
        load = sub.add_parser("load", help="simulated agents over HTTP against gunicorn and the huey worker")
        load.add_argument("--agents", type=_positive, default=50, help="agents working at once")
        load.add_argument("--minutes", type=float, default=3.0, help="how long they work")
        load.add_argument("--pace", type=float, default=5.0, help="seconds between one agent's actions (mean)")
        load.add_argument("--workers", type=_positive, default=5, help="gunicorn workers")
        load.add_argument("--apps", type=_positive, default=1, help="gunicorn app servers (agents spread over them)")
        load.add_argument("--huey-workers", type=_positive, default=1, help="huey worker processes")
        load.add_argument("--kill-after", type=float, default=0,
                          help="seconds into the run to SIGKILL the second app server and a worker (0: never)")
        utility = sub.add_parser("utility", help="readings import, abnormal-meter detection, read-rate report")
        utility.add_argument("--meters", type=_positive, default=500_000, help="meters in service")
        utility.add_argument("--months", type=_positive, default=24, help="months of readings per meter")
        utility.add_argument("--import-n", type=_positive, default=1_000_000, help="readings imported (timed)")
        attendance = sub.add_parser("attendance", help="monthly attendance sheet and the live adherence board")
        attendance.add_argument("--agents", type=_positive, default=500, help="agents (teams of 20)")
        attendance.add_argument("--changes", type=_positive, default=2_000_000, help="presence state changes")
        attendance.add_argument("--board", type=_positive, default=200, help="agents on the adherence board")
        for bench in (tickets, sla, ui, knowledge, search, load, chat, wfm, quality, channels, utility, attendance):
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
