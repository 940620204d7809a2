"""`kefu customers import FILE`: bulk import from CSV or Excel; all rows are checked before any is written."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, fail
from kefu.core.errors import ServiceError
from kefu.customers.importer import import_customers, read_rows


class Command(BaseCommand):
    help = "Import customers from a .csv or .xlsx file (header row: name, mobile, email, address, meter …)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import customers; one bad row imports nothing")
        imp.add_argument("file")
        imp.add_argument("--as", dest="as_user")

    def handle(self, *args, action, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = acting_user(options.get("as_user"))

        def progress(done, total):
            sys.stderr.write(f"\rimported {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        try:
            count = import_customers(actor=actor, rows=read_rows(path), progress=progress)
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(f"{count} customers imported")
