"""`kefu demo`: load the Chinese demo center (gas utility, online shop, game publisher) into an empty database."""

import sys

from django.core.management.base import BaseCommand, CommandError

from kefu.accounts.models import User
from kefu.demo.center import PASSWORD
from kefu.demo.loader import DemoError, Result, load, refuse_unless_empty
from kefu.tickets.lifecycle import Channel, Priority, Status
from kefu.tickets.models import TicketType


class Command(BaseCommand):
    """kefu demo [--customers N] [--tickets N] [--seed S] [--quiet] [--if-empty]."""

    help = (
        "Load a realistic Chinese demo center into an empty database: an outsourced call center serving a gas "
        "utility, an online shop and a game publisher, ~60 users (every role, password kefu2026), customers, "
        "and tickets with 90 days of history, all made through the services. Refuses when tickets exist; "
        "with --if-empty it then does nothing and exits 0 (what scripts/demo.sh uses)."
    )

    def add_arguments(self, parser):
        """Sizes, seed, and the two switches."""
        parser.add_argument("--customers", type=int, default=400, help="customers to create (default 400)")
        parser.add_argument("--tickets", type=int, default=3000, help="tickets to create (default 3000)")
        parser.add_argument("--seed", type=int, default=2026,
                            help="random seed; the same seed gives the same people, customers and tickets")
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
        parser.add_argument("--if-empty", action="store_true",
                            help="when the database already has tickets, skip loading and exit 0")

    def handle(self, *args, customers, tickets, seed, quiet, if_empty, **options):
        """Refuse or skip a non-empty database, else load and report; progress goes to stderr."""
        if customers < 3 or tickets < 1:
            raise CommandError("--customers must be at least 3 and --tickets at least 1")
        if if_empty:
            try:
                refuse_unless_empty()
            except DemoError as exc:
                if not quiet:
                    self.stdout.write(f"demo not loaded: {exc}")
                    self.logins_hint()
                return
        progress = None if quiet else (lambda message: print(message, file=sys.stderr, flush=True))
        try:
            result = load(customers=customers, tickets=tickets, seed=seed, progress=progress)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not quiet:
            self.report(result)

    def report(self, result: Result) -> None:
        """Counts, then the table of logins the README points at."""
        out = self.stdout.write
        out(f"\nLoaded in {result.seconds:.1f} s: {result.users} users, {result.customers} customers, "
            f"{result.tickets} tickets, {result.messages} replies and notes, {result.events} events, "
            f"{result.links} links, {result.merged} merged, {result.children} child tickets, "
            f"{result.dispatched} dispatched, {result.reopened} reopened.")
        names = dict(TicketType.objects.values_list("code", "name"))
        out("By type:     " + ", ".join(f"{names.get(k, k)} {v}" for k, v in result.by_type.most_common()))
        out("By status:   " + ", ".join(f"{Status(k).label} {v}" for k, v in result.by_status.most_common()))
        out("By channel:  " + ", ".join(f"{Channel(k).label} {v}" for k, v in result.by_channel.most_common()))
        out("By priority: " + ", ".join(f"{Priority(k).label} {v}" for k, v in sorted(result.by_priority.items())))
        self.login_table(result.logins)

    def login_table(self, logins: list[tuple[str, str, str]]) -> None:
        """username, role, team and password of the demo logins, aligned for a terminal."""
        rows = [("username", "role", "team", "password")] + [(u, str(r), t, PASSWORD) for u, r, t in logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("\nDemo logins (http://127.0.0.1:8000/):")
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths,
                                                                                            strict=True)))
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))

    def logins_hint(self) -> None:
        """Remind of the logins when the demo was loaded before."""
        if User.objects.filter(username="admin").exists():
            self.stdout.write(f"Demo logins: admin, supervisor, lead01 …, agent01 … — password {PASSWORD}")


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
