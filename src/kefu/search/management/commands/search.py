"""`kefu search reindex`: rebuild the search index from tickets, customers and articles, in batches."""

import time

from django.core.management.base import BaseCommand

from kefu.core.cli import dump
from kefu.search.indexing import reindex, sources
from kefu.search.models import SearchDocument


class Command(BaseCommand):
    help = "Search index maintenance: `kefu search reindex [--kind ticket] [--batch 500]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("reindex", help="Rebuild the index; search keeps working meanwhile")
        rebuild.add_argument("--kind", action="append", choices=sorted(sources()),
                             help="only this kind (repeatable); default all")
        rebuild.add_argument("--batch", type=int, default=500, help="objects per transaction")

    def handle(self, *args, action, **options):
        started = time.monotonic()
        totals = {}

        def progress(kind, done):
            if kind not in totals:
                totals[kind] = _total(kind)
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stderr.write(f"\r{kind}: {done}/{totals[kind]} ({rate:,.0f}/s)   ", ending="")
            if isinstance(totals[kind], int) and done >= totals[kind]:
                self.stderr.write("")

        counts = reindex(kinds=options["kind"], batch=max(1, options["batch"]), progress=progress)
        self.stdout.write(dump({"indexed": counts, "documents": SearchDocument.objects.count(),
                                "seconds": round(time.monotonic() - started, 1)}))


def _total(kind: str) -> int | str:
    from kefu.customers.models import Customer
    from kefu.tickets.models import Ticket

    models = {"ticket": Ticket, "customer": Customer}
    return models[kind].objects.count() if kind in models else "?"
