"""`kefu audit verify|export|purge`: check the hash chain, export entries, remove entries past retention."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kefu.audit import services
from kefu.audit.export import write_csv
from kefu.core.cli import dump


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, export it as CSV, or remove entries past KEFU_AUDIT_RETENTION_DAYS."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute every link; exit status 1 when the chain is broken")
        export = sub.add_parser("export", help="entries as CSV on stdout")
        export.add_argument("--start", type=date.fromisoformat, help="YYYY-MM-DD (local)")
        export.add_argument("--end", type=date.fromisoformat, help="YYYY-MM-DD (local), inclusive")
        sub.add_parser("purge", help="remove entries older than the retention (at least 180 days)")

    def handle(self, *args, action, **options):
        if action == "verify":
            verdict = services.verify()
            self.stdout.write(dump({"ok": verdict.ok, "entries": verdict.entries, "problems": verdict.problems}))
            if not verdict.ok:
                raise CommandError("the audit chain is broken (see problems)")
        elif action == "export":
            write_csv(sys.stdout, services.entries(start=options["start"], end=options["end"]))
        else:
            self.stdout.write(dump({"removed": services.purge_expired()}))
