"""`kefu retention show|apply`: the personal-data retention schedules (the worker applies them nightly)."""

from django.core.management.base import BaseCommand

from kefu.core.cli import dump
from kefu.ops import retention


class Command(BaseCommand):
    help = "Show what the retention schedules would remove now, or apply them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="days per schedule and how many records are due, as JSON")
        sub.add_parser("apply", help="remove the personal data past its schedule now")

    def handle(self, *args, action, **options):
        if action == "show":
            self.stdout.write(dump(retention.due()))
        else:
            result = retention.apply_schedules()
            self.stdout.write(dump({"counts": result.counts, "cutoffs": result.cutoffs}))
