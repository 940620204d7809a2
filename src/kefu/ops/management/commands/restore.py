"""`kefu restore FILE --yes`: replace the whole database with a backup made by `kefu backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump, fail
from kefu.core.errors import ServiceError
from kefu.ops import backup


class Command(BaseCommand):
    help = "Replace the database's whole content with a backup file (stop the app servers and workers first)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .sqlite3 or .pgdump file written by `kefu backup`")
        parser.add_argument("--yes", action="store_true", help="confirm: everything now in the database is replaced")

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError("restore replaces everything in the database; add --yes to confirm")
        try:
            backup.restore(source=Path(file))
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(dump({"restored": file, "engine": backup.engine()}))
